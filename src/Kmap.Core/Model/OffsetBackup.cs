namespace Kmap.Core.Model;

/// <summary>Everything a backup file holds: when, from where, and each group's committed offsets (sorted by group name).</summary>
public sealed record OffsetBackup(DateTimeOffset Timestamp, string Cluster, IReadOnlyList<GroupOffsets> ConsumerGroups)
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;
    public string? ClusterId { get; init; }
}
