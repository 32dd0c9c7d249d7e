using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Config;

namespace Kmap.Kafka;

/// <summary>
/// Puts life into an empty cluster for `kmap demo`: topics and consumer groups that stop at known positions,
/// made by real group consumers (librdkafka), not by shortcuts. The records come from kmap's one writer,
/// <see cref="KafkaRecordWriter.ProduceSamplesAsync"/>.
/// </summary>
public sealed class SampleTraffic(ConnectionSettings settings)
{
    public async Task CreateTopicAsync(string topic, int partitions, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfig.ForAdmin(settings)).Build();
        cancellationToken.ThrowIfCancellationRequested();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>
    /// Runs one consumer in <paramref name="group"/> subscribed to <paramref name="topic"/> until it has read
    /// <paramref name="records"/> records, commits exactly that position, and leaves the group (which goes Empty).
    /// </summary>
    public Task<int> ConsumeAsync(string group, string topic, int records, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var config = new ConsumerConfig(KafkaClientConfig.ForAdmin(settings))
        {
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
        };
        using var consumer = new ConsumerBuilder<string, string>(config).Build();
        consumer.Subscribe(topic);
        var read = 0;
        var next = new Dictionary<TopicPartition, Offset>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (read < records && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }
            // A committed offset is the next record to read, hence + 1.
            next[result.TopicPartition] = result.Offset + 1;
            read++;
        }
        consumer.Commit(next.Select(p => new TopicPartitionOffset(p.Key, p.Value)));
        consumer.Close();
        return read;
    }, cancellationToken);
}
