using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>One partition of one group that differs between two backups; null on the side where it is absent.</summary>
public sealed record OffsetChange(string Group, string Topic, int Partition, long? Before, long? After)
{
    public DateTimeOffset? TimeBefore { get; init; }
    public DateTimeOffset? TimeAfter { get; init; }

    /// <summary>Records the group moved forward (negative: back); null when one side is absent.</summary>
    public long? Moved => Before is { } b && After is { } a ? a - b : null;

    /// <summary>How far the group's position moved in record time; null when either time is unknown.</summary>
    public TimeSpan? MovedInTime => TimeBefore is { } b && TimeAfter is { } a ? a - b : null;
}

/// <summary>`kmap diff A B`: what moved between two backups, per group and partition, in offsets and in time.</summary>
public static class BackupDiff
{
    public static IReadOnlyList<OffsetChange> Compute(OffsetBackup a, OffsetBackup b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var left = Index(a);
        var right = Index(b);
        var changes = new List<OffsetChange>();
        foreach (var key in left.Keys.Union(right.Keys).OrderBy(k => k.Group, StringComparer.Ordinal).ThenBy(k => k.Partition))
        {
            left.TryGetValue(key, out var before);
            right.TryGetValue(key, out var after);
            if (before?.Offset == after?.Offset)
            {
                continue;
            }
            changes.Add(new OffsetChange(key.Group, key.Partition.Topic, key.Partition.Partition, before?.Offset, after?.Offset)
            {
                TimeBefore = Position(before),
                TimeAfter = Position(after),
            });
        }
        return changes;
    }

    // The time of a position: the next record's, or for a caught-up group the last consumed one's.
    private static DateTimeOffset? Position(BackedUpOffset? o) => o?.NextRecordTimestamp ?? o?.LastConsumedTimestamp;

    private static Dictionary<(string Group, TopicPartition Partition), BackedUpOffset> Index(OffsetBackup backup) =>
        backup.ConsumerGroups.SelectMany(g => g.Offsets.Select(o => (g.Group, o))).ToDictionary(x => (x.Group, x.o.TopicPartition), x => x.o);
}
