using System.Globalization;
using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// After a translated restore (MirrorMaker 2, a replay, `kmap restore --translate timestamp`) the two clusters hold the
/// same records at other offsets, so a group's offsets differ as numbers while pointing at the same record. This marks
/// such group_offset differences as equivalents, by record time (what restore's timestamp translation matches on): the
/// record read next on each side has the same time, or both sides are caught up and their last records have the same
/// time. Record times can only be read from live sides: a cluster JSON file has none, and its rows stay differences.
/// </summary>
public static class TranslatedOffsets
{
    public static async Task<IReadOnlyList<ClusterDifference>> MarkAsync(
        IReadOnlyList<ClusterDifference> differences, ClusterMap source, ClusterMap target,
        IRecordReader? sourceReader, IRecordReader? targetReader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(differences);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var sourceOffsets = Offsets(source);
        var targetOffsets = Offsets(target);
        var pairs = new Dictionary<int, (TopicPartition Partition, GroupOffsetInfo Source, GroupOffsetInfo Target)>();
        for (var i = 0; i < differences.Count; i++)
        {
            var d = differences[i];
            if (d.Kind == "group_offset" && sourceOffsets.TryGetValue(d.Subject, out var a) && targetOffsets.TryGetValue(d.Subject, out var b))
            {
                pairs[i] = (new TopicPartition(a.Topic, a.Partition), a, b);
            }
        }
        if (sourceReader is null || targetReader is null || pairs.Count == 0)
        {
            return differences;
        }
        var sourceTimes = await ReadAsync(sourceReader, pairs.Values.Select(p => (p.Partition, Probe(p.Source))), cancellationToken);
        var targetTimes = await ReadAsync(targetReader, pairs.Values.Select(p => (p.Partition, Probe(p.Target))), cancellationToken);
        var marked = differences.ToList();
        foreach (var (i, (partition, a, b)) in pairs)
        {
            var caughtUp = IsCaughtUp(a);
            if (caughtUp != IsCaughtUp(b)
                || !sourceTimes.TryGetValue((partition, Probe(a)), out var ta) || !targetTimes.TryGetValue((partition, Probe(b)), out var tb) || ta != tb)
            {
                continue;
            }
            var time = ta.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            marked[i] = marked[i] with
            {
                Equivalence = caughtUp
                    ? $"translated: caught up on both sides, the last record's time {time} on both"
                    : $"translated: the next record has record time {time} on both sides",
            };
        }
        return marked;
    }

    private static bool IsCaughtUp(GroupOffsetInfo offset) => offset.LogEndOffset is { } end && offset.Offset >= end;

    /// <summary>The record whose time tells the position: the next one, or the last one for a caught-up group.</summary>
    private static long Probe(GroupOffsetInfo offset) => IsCaughtUp(offset) ? offset.LogEndOffset!.Value - 1 : offset.Offset;

    /// <summary>Every committed offset by the subject ClusterComparison gives its row ("GROUP TOPIC-PARTITION").</summary>
    private static Dictionary<string, GroupOffsetInfo> Offsets(ClusterMap map)
    {
        var offsets = new Dictionary<string, GroupOffsetInfo>(StringComparer.Ordinal);
        foreach (var group in map.ConsumerGroups)
        {
            foreach (var offset in group.Offsets)
            {
                offsets[$"{group.Group} {offset.Topic}-{offset.Partition}"] = offset;
            }
        }
        return offsets;
    }

    /// <summary>The record time at each probed offset.</summary>
    private static async Task<Dictionary<(TopicPartition, long), DateTimeOffset>> ReadAsync(
        IRecordReader reader, IEnumerable<(TopicPartition Partition, long Offset)> wanted, CancellationToken cancellationToken)
    {
        var times = new Dictionary<(TopicPartition, long), DateTimeOffset>();
        // One offset per partition per round: the reader takes one range per partition.
        foreach (var round in wanted.Where(w => w.Offset >= 0)
                     .GroupBy(w => w.Partition).SelectMany(g => g.Select(w => w.Offset).Distinct().Select((o, n) => (n, g.Key, o)))
                     .GroupBy(x => x.n))
        {
            var ranges = round.ToDictionary(x => x.Key, x => new OffsetRange(x.o, x.o + 1));
            var read = await reader.ReadRecordTimesAsync(ranges, cancellationToken);
            foreach (var (partition, records) in read)
            {
                foreach (var record in records)
                {
                    times[(partition, record.Offset)] = record.Timestamp;
                }
            }
        }
        return times;
    }
}
