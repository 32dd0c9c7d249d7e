using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>The numbers `kmap backup` prints on stderr: groups, partitions, total lag, the oldest position in time.</summary>
public sealed record BackupSummary(int Groups, int Partitions, long TotalLag, DateTimeOffset? OldestPosition, string? OldestWhere)
{
    public static BackupSummary Of(OffsetBackup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var offsets = backup.ConsumerGroups.SelectMany(g => g.Offsets.Select(o => (g.Group, o))).ToList();
        // A group's position in time is the next record it will read: the oldest such record is the furthest behind.
        var oldest = offsets.Where(x => x.o.NextRecordTimestamp is not null).OrderBy(x => x.o.NextRecordTimestamp).FirstOrDefault();
        return new BackupSummary(
            backup.ConsumerGroups.Count,
            offsets.Count,
            offsets.Sum(x => x.o.Lag ?? 0),
            oldest.o?.NextRecordTimestamp,
            oldest.o is null ? null : $"{oldest.Group} {oldest.o.Topic}-{oldest.o.Partition}");
    }
}
