using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>
/// Adds to a backup the timestamps of the last consumed record (offset - 1) and of the next one (offset) of
/// every partition: what a restore onto a cluster with different offsets translates by. One read for all
/// partitions; a partition is read once even when many groups sit on it at the same offset.
/// </summary>
public static class BackupRecordTimes
{
    /// <summary>Positions of one partition this close together are read as one range.</summary>
    public const int MergeGap = 64;

    public static async Task<OffsetBackup> AddAsync(OffsetBackup backup, IRecordReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(reader);
        // Positions wanted per partition; groups at different offsets of one partition widen its range.
        var wanted = new Dictionary<TopicPartition, SortedSet<long>>();
        foreach (var offset in backup.ConsumerGroups.SelectMany(g => g.Offsets))
        {
            if (offset.LogStartOffset is not { } start || offset.LogEndOffset is not { } end)
            {
                continue;
            }
            if (!wanted.TryGetValue(offset.TopicPartition, out var set))
            {
                wanted[offset.TopicPartition] = set = [];
            }
            if (offset.Offset - 1 >= start && offset.Offset - 1 < end)
            {
                set.Add(offset.Offset - 1);
            }
            if (offset.Offset >= start && offset.Offset < end)
            {
                set.Add(offset.Offset);
            }
        }
        var times = new Dictionary<(TopicPartition, long), DateTimeOffset>();
        // Each distinct position is read as its own short range, so a partition with groups far apart is not read in between.
        var round = 0;
        while (true)
        {
            var ranges = new Dictionary<TopicPartition, OffsetRange>();
            foreach (var (partition, set) in wanted)
            {
                var positions = Runs(set).ToList();
                if (round < positions.Count)
                {
                    ranges[partition] = positions[round];
                }
            }
            if (ranges.Count == 0)
            {
                break;
            }
            var read = await reader.ReadRecordTimesAsync(ranges, cancellationToken);
            foreach (var (partition, records) in read)
            {
                foreach (var record in records)
                {
                    times[(partition, record.Offset)] = record.Timestamp;
                }
            }
            round++;
        }
        var groups = backup.ConsumerGroups.Select(g => g with
        {
            Offsets = g.Offsets.Select(o => o with
            {
                LastConsumedTimestamp = times.TryGetValue((o.TopicPartition, o.Offset - 1), out var last) ? last : null,
                NextRecordTimestamp = times.TryGetValue((o.TopicPartition, o.Offset), out var next) ? next : null,
            }).ToList(),
        }).ToList();
        return backup with { ConsumerGroups = groups };
    }

    /// <summary>
    /// Offsets merged into ranges when they are at most <see cref="MergeGap"/> apart: {4,5,9,900} → [4,10), [900,901).
    /// Reading a few records in between is cheaper than another round of fetches.
    /// </summary>
    private static IEnumerable<OffsetRange> Runs(SortedSet<long> offsets)
    {
        long? from = null;
        long previous = 0;
        foreach (var o in offsets)
        {
            if (from is null)
            {
                from = o;
            }
            else if (o > previous + MergeGap)
            {
                yield return new OffsetRange(from.Value, previous + 1);
                from = o;
            }
            previous = o;
        }
        if (from is { } f)
        {
            yield return new OffsetRange(f, previous + 1);
        }
    }
}
