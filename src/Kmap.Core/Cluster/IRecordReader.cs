using Kmap.Core.Model;

namespace Kmap.Core.Cluster;

/// <summary>Reads records (not offsets) from a cluster. Implemented in Kmap.Kafka with a group-less consumer; faked in tests.</summary>
public interface IRecordReader
{
    /// <summary>
    /// The timestamp of each record whose offset lies in the given [From, Until) range of its partition.
    /// Ranges are small (one or two records): the reader fetches all partitions together with small byte limits.
    /// A record that is gone (compacted, deleted) is simply absent from the answer.
    /// </summary>
    Task<IReadOnlyDictionary<TopicPartition, IReadOnlyList<RecordTime>>> ReadRecordTimesAsync(
        IReadOnlyDictionary<TopicPartition, OffsetRange> ranges, CancellationToken cancellationToken);

    /// <summary>Every record of a (small) topic from its log start to its end, key and value as bytes; empty when the topic does not exist.</summary>
    Task<IReadOnlyList<RawRecord>> ReadTopicAsync(string topic, CancellationToken cancellationToken);
}

/// <summary>Offsets From (inclusive) to Until (exclusive) of one partition.</summary>
public readonly record struct OffsetRange(long From, long Until);

/// <summary>A record's offset and its timestamp.</summary>
public readonly record struct RecordTime(long Offset, DateTimeOffset Timestamp);

/// <summary>A record as bytes; null key or value stay null.</summary>
public sealed record RawRecord(TopicPartition TopicPartition, long Offset, byte[]? Key, byte[]? Value, DateTimeOffset Timestamp);
