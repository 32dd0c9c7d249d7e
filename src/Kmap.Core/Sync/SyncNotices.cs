namespace Kmap.Core.Sync;

/// <summary>
/// What `kmap sync` says besides its round line, each thing once: a reason (a partition that cannot be translated, a
/// group refused, a clamped position) is said when it appears or changes, not every round. Reasons not seen in a round
/// are forgotten at its end, so the memory follows what is wrong now, not the run's length.
/// </summary>
public sealed class SyncNotices(Action<string> write)
{
    private Dictionary<string, string> said = new(StringComparer.Ordinal);
    private Dictionary<string, string> seen = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="line"/> unless <paramref name="key"/> was said with the same <paramref name="detail"/> in the previous round or this one.</summary>
    public void Say(string key, string detail, string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (said)
        {
            if (!(said.TryGetValue(key, out var before) && before == detail) && !(seen.TryGetValue(key, out var now) && now == detail))
            {
                write(line);
            }
            seen[key] = detail;
        }
    }

    /// <summary>A state change: always said.</summary>
    public void SayAlways(string line) => write(line);

    /// <summary>The condition behind <paramref name="key"/> is over: said again if it comes back.</summary>
    public void Clear(string key)
    {
        lock (said)
        {
            said.Remove(key);
            seen.Remove(key);
        }
    }

    /// <summary>Keeps only what this round said or saw.</summary>
    public void EndRound()
    {
        lock (said)
        {
            said = seen;
            seen = new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }
}
