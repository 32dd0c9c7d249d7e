using Kmap.Core.Model;

namespace Kmap.Core.Sync;

/// <summary>A group kmap no longer writes: it became active on the target, or another client moved it there.</summary>
public sealed record HandedOverGroup(string Group, string Reason, DateTimeOffset At);

/// <summary>
/// The offsets kmap last wrote for one partition of one group on the target. Pending is set before a write is sent
/// and cleared once it is confirmed, so a target position equal to either is kmap's own (a crash between a write and
/// the state file's save does not pass for another client's commit).
/// </summary>
public sealed record WrittenPosition(long? Written, long? Pending)
{
    public bool IsOwn(long offset) => offset == Written || offset == Pending;
}

/// <summary>
/// What `kmap sync` keeps across rounds (and, with --state-file, across restarts): the groups handed over to the
/// target, and the positions it wrote. Its size follows the source's groups and partitions, never the number of
/// rounds: positions of groups gone from the source are dropped each round.
/// </summary>
public sealed class SyncState
{
    public Dictionary<string, HandedOverGroup> HandedOver { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<TopicPartition, WrittenPosition>> Positions { get; } = new(StringComparer.Ordinal);

    public bool IsHandedOver(string group) => HandedOver.ContainsKey(group);

    public void HandOver(string group, string reason, DateTimeOffset at)
    {
        HandedOver[group] = new HandedOverGroup(group, reason, at);
        Positions.Remove(group);
    }

    public WrittenPosition? PositionOf(string group, TopicPartition partition) =>
        Positions.TryGetValue(group, out var byPartition) && byPartition.TryGetValue(partition, out var position) ? position : null;

    public void SetPending(string group, TopicPartition partition, long offset)
    {
        var byPartition = PartitionsOf(group);
        byPartition[partition] = (byPartition.GetValueOrDefault(partition) ?? new WrittenPosition(null, null)) with { Pending = offset };
    }

    public void SetWritten(string group, TopicPartition partition, long offset) => PartitionsOf(group)[partition] = new WrittenPosition(offset, null);

    /// <summary>Forgets the positions of groups the source no longer has (or the filters no longer select).</summary>
    public void KeepOnly(IReadOnlySet<string> groups)
    {
        foreach (var group in Positions.Keys.Where(g => !groups.Contains(g)).ToList())
        {
            Positions.Remove(group);
        }
    }

    private Dictionary<TopicPartition, WrittenPosition> PartitionsOf(string group)
    {
        if (!Positions.TryGetValue(group, out var byPartition))
        {
            Positions[group] = byPartition = [];
        }
        return byPartition;
    }
}
