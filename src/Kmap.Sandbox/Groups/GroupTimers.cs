namespace Kmap.Sandbox.Groups;

/// <summary>
/// Keyed one-shot timers, like Kafka's coordinator timer: scheduling a key replaces its previous timer,
/// and an action runs under the cluster lock only if its timer is still the current one for that key.
/// Timers come from the cluster's <see cref="TimeProvider"/>, so tests may drive time.
/// </summary>
public sealed class GroupTimers : IDisposable
{
    private readonly object _sync;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Scheduled> _timers = new(StringComparer.Ordinal);
    private bool _disposed;

    public GroupTimers(object sync, TimeProvider time)
    {
        _sync = sync;
        _time = time;
    }

    private sealed class Scheduled
    {
        public ITimer? Timer { get; set; }
    }

    public int Count => _timers.Count;

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> under the lock. Caller holds the lock.</summary>
    public void Schedule(string key, TimeSpan delay, Action action)
    {
        if (_disposed)
        {
            return;
        }
        Cancel(key);
        var scheduled = new Scheduled();
        _timers[key] = scheduled;
        scheduled.Timer = _time.CreateTimer(_ => Fire(key, scheduled, action), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Caller holds the lock.</summary>
    public void Cancel(string key)
    {
        if (_timers.Remove(key, out var old))
        {
            old.Timer?.Dispose();
        }
    }

    private void Fire(string key, Scheduled scheduled, Action action)
    {
        lock (_sync)
        {
            if (_disposed || !_timers.TryGetValue(key, out var current) || !ReferenceEquals(current, scheduled))
            {
                return;
            }
            _timers.Remove(key);
            scheduled.Timer?.Dispose();
            action();
        }
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
            foreach (var scheduled in _timers.Values)
            {
                scheduled.Timer?.Dispose();
            }
            _timers.Clear();
        }
    }
}
