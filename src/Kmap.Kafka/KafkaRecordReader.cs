using Confluent.Kafka;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using CoreTopicPartition = Kmap.Core.Model.TopicPartition;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Kafka;

/// <summary>
/// Reads records with a consumer that joins no group and commits nothing: all partitions assigned at once, so
/// librdkafka batches fetches per broker, with small byte limits because only a record or two is wanted from each.
/// A partition stops being fetched (paused) as soon as its range is read or its end reached.
/// </summary>
public sealed class KafkaRecordReader(ConnectionSettings settings, TimeSpan? timeout = null) : IRecordReader
{
    private readonly TimeSpan timeout = timeout ?? TimeSpan.FromSeconds(30);

    public Task<IReadOnlyDictionary<CoreTopicPartition, IReadOnlyList<RecordTime>>> ReadRecordTimesAsync(
        IReadOnlyDictionary<CoreTopicPartition, OffsetRange> ranges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return Task.Run(() =>
        {
            var records = Read(ranges, smallFetches: true, cancellationToken);
            IReadOnlyDictionary<CoreTopicPartition, IReadOnlyList<RecordTime>> result = records
                .GroupBy(r => r.TopicPartition)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<RecordTime>)g.Select(r => new RecordTime(r.Offset, r.Timestamp)).ToList());
            return result;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RawRecord>> ReadTopicAsync(string topic, CancellationToken cancellationToken)
    {
        return Task.Run(() =>
        {
            using var consumer = BuildConsumer(smallFetches: false);
            if (!PartitionCounts().TryGetValue(topic, out var count))
            {
                return (IReadOnlyList<RawRecord>)[];
            }
            var ranges = new Dictionary<CoreTopicPartition, OffsetRange>();
            for (var p = 0; p < count; p++)
            {
                var marks = consumer.QueryWatermarkOffsets(new KafkaTopicPartition(topic, p), timeout);
                if (marks.High.Value > marks.Low.Value)
                {
                    ranges[new CoreTopicPartition(topic, p)] = new OffsetRange(marks.Low.Value, marks.High.Value);
                }
            }
            return Read(ranges, smallFetches: false, cancellationToken);
        }, cancellationToken);
    }

    /// <summary>Topic → partition count, from one metadata request.</summary>
    private Dictionary<string, int> PartitionCounts()
    {
        try
        {
            // As the consumer below: without a handler librdkafka prints its own lines ("%3|...|FAIL|...") straight to
            // the process's stderr when a broker goes away; a failure reaches the caller as the exception instead.
            using var admin = new AdminClientBuilder(KafkaClientConfig.ForAdmin(settings)).SetLogHandler((_, _) => { }).Build();
            return admin.GetMetadata(timeout).Topics.Where(t => !t.Error.IsError).ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        }
        catch (KafkaException e)
        {
            throw new ClusterException($"cannot read the topics of {settings.BootstrapServers}: {e.Error.Reason}", e);
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildConsumer(bool smallFetches)
    {
        var config = new ConsumerConfig(KafkaClientConfig.ForAdmin(settings))
        {
            ClientId = "kmap-reader",
            // librdkafka insists on a group id, but with Assign and no commits the group is never joined nor created.
            GroupId = "kmap-record-reader",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            FetchWaitMaxMs = 50,
        };
        if (smallFetches)
        {
            // A broker still returns at least one whole batch, so small limits never starve a read.
            config.MaxPartitionFetchBytes = 16 * 1024;
            config.FetchMaxBytes = 1024 * 1024;
            config.QueuedMaxMessagesKbytes = 1024;
        }
        return new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetKeyDeserializer(Deserializers.ByteArray)
            .SetValueDeserializer(Deserializers.ByteArray)
            .SetLogHandler((_, _) => { })
            .Build();
    }

    private List<RawRecord> Read(IReadOnlyDictionary<CoreTopicPartition, OffsetRange> ranges, bool smallFetches, CancellationToken cancellationToken)
    {
        var result = new List<RawRecord>();
        var pending = ranges.Where(r => r.Value.Until > r.Value.From).ToDictionary(r => r.Key, r => r.Value);
        if (pending.Count == 0)
        {
            return result;
        }
        // A consumer assigned a partition that does not exist waits for it: ask only for those that exist.
        var counts = PartitionCounts();
        pending = pending.Where(r => counts.TryGetValue(r.Key.Topic, out var n) && r.Key.Partition < n).ToDictionary(r => r.Key, r => r.Value);
        if (pending.Count == 0)
        {
            return result;
        }
        using var consumer = BuildConsumer(smallFetches);
        consumer.Assign(pending.Select(r => new TopicPartitionOffset(r.Key.Topic, r.Key.Partition, r.Value.From)));
        var deadline = DateTime.UtcNow + timeout;
        void Done(CoreTopicPartition tp)
        {
            if (pending.Remove(tp))
            {
                consumer.Pause([new KafkaTopicPartition(tp.Topic, tp.Partition)]);
            }
        }
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (DateTime.UtcNow > deadline)
            {
                throw new ClusterException($"reading records timed out after {timeout.TotalSeconds:0}s; still waiting for {string.Join(", ", pending.Keys.Take(5))}");
            }
            ConsumeResult<byte[]?, byte[]?>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException e) when (e.ConsumerRecord?.Topic is { } topic)
            {
                // Unknown topic, offset out of range…: that partition has nothing to give.
                Done(new CoreTopicPartition(topic, e.ConsumerRecord.Partition.Value));
                continue;
            }
            if (record is null)
            {
                continue;
            }
            var tp = new CoreTopicPartition(record.Topic, record.Partition.Value);
            if (!pending.TryGetValue(tp, out var range))
            {
                continue;
            }
            if (record.IsPartitionEOF)
            {
                Done(tp);
                continue;
            }
            var offset = record.Offset.Value;
            if (offset >= range.From && offset < range.Until)
            {
                result.Add(new RawRecord(tp, offset, record.Message.Key, record.Message.Value,
                    DateTimeOffset.FromUnixTimeMilliseconds(record.Message.Timestamp.UnixTimestampMs)));
            }
            if (offset + 1 >= range.Until)
            {
                Done(tp);
            }
        }
        return result;
    }
}
