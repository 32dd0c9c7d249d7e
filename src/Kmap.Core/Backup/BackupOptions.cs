namespace Kmap.Core.Backup;

/// <summary>How to take a backup.</summary>
public sealed record BackupOptions(string Cluster)
{
    /// <summary>OffsetFetch calls in flight at once. librdkafka answers one group per call, so throughput comes from concurrency.</summary>
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Also record each partition's log start/end (one ListOffsets for all partitions).</summary>
    public bool IncludeLogOffsets { get; init; } = true;

    /// <summary>Which groups (and topics of each group) to back up; groups are filtered before their offsets are read.</summary>
    public Kmap.Core.Filters.BackupFilter Filter { get; init; } = Kmap.Core.Filters.BackupFilter.All;

    /// <summary>Called after each group with (done, total); for a progress line on stderr.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>
    /// When some groups cannot be read (after the reader's retries), return the others instead of failing. Off by
    /// default: a backup missing groups must not pass for a complete one. The caller reports the failures (exit 3).
    /// </summary>
    public bool AllowPartial { get; init; }
}
