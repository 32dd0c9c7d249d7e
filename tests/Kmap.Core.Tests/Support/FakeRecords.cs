using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Tests.Support;

/// <summary>Records by partition for the restore planner's reads (record times, the MM2 checkpoints topic).</summary>
public sealed class FakeRecords : IRecordReader
{
    public List<RawRecord> Records { get; } = [];

    public int TimeReads { get; private set; }

    public void Add(string topic, int partition, long offset, DateTimeOffset time, byte[]? key = null, byte[]? value = null) =>
        Records.Add(new RawRecord(new TopicPartition(topic, partition), offset, key, value, time));

    public Task<IReadOnlyDictionary<TopicPartition, IReadOnlyList<RecordTime>>> ReadRecordTimesAsync(IReadOnlyDictionary<TopicPartition, OffsetRange> ranges, CancellationToken cancellationToken)
    {
        TimeReads++;
        IReadOnlyDictionary<TopicPartition, IReadOnlyList<RecordTime>> result = ranges.ToDictionary(r => r.Key, r => (IReadOnlyList<RecordTime>)Records
            .Where(x => x.TopicPartition == r.Key && x.Offset >= r.Value.From && x.Offset < r.Value.Until)
            .Select(x => new RecordTime(x.Offset, x.Timestamp)).ToList());
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<RawRecord>> ReadTopicAsync(string topic, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RawRecord>>(Records.Where(r => r.TopicPartition.Topic == topic).ToList());
}
