namespace Kmap.Core.Model;

/// <summary>Everything a backup file holds: when, from where, and each group's committed offsets (sorted by group name).</summary>
public sealed record OffsetBackup(DateTimeOffset Timestamp, string Cluster, IReadOnlyList<GroupOffsets> ConsumerGroups)
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public string? ClusterId { get; init; }

    /// <summary>For a differential backup: the file it only adds to (relative to this file's directory).</summary>
    public string? BaseFile { get; init; }

    /// <summary>For a differential backup: the timestamp of the base, to check the chain.</summary>
    public DateTimeOffset? BaseTimestamp { get; init; }

    /// <summary>Written by `kmap restore` before its first write: restoring it overwrites, to undo that restore.</summary>
    public bool IsRollback { get; init; }

    /// <summary>
    /// How many partitions each backed-up topic had on the source (topic → count), so a restore can create a
    /// missing topic as it was. A topic absent here is unknown (files of older kmap versions and of the Go tool).
    /// </summary>
    public IReadOnlyDictionary<string, int> PartitionCounts { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);
}
