using System.Text;
using Confluent.Kafka;
using Kmap.Core.Config;

namespace Kmap.Kafka;

/// <summary>
/// kmap's one producer and sample-record writer: records with chosen partitions and timestamps (what `kmap demo`
/// fills its two sandboxes with, and the benchmarks' clusters), or keyed sample records whose partition the
/// producer's partitioner picks (the demo's topics; <see cref="SampleTraffic"/> makes the topics and groups).
/// </summary>
public sealed class KafkaRecordWriter : IDisposable
{
    private readonly IProducer<byte[]?, byte[]?> producer;

    public KafkaRecordWriter(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig(KafkaClientConfig.ForAdmin(settings)) { ClientId = "kmap-writer", LingerMs = 5 })
            .SetKeySerializer(Serializers.ByteArray)
            .SetValueSerializer(Serializers.ByteArray)
            .Build();
    }

    public async Task ProduceAsync(string topic, int partition, byte[]? key, byte[]? value, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        var message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Timestamp = new Timestamp(timestamp) };
        await producer.ProduceAsync(new TopicPartition(topic, partition), message, cancellationToken);
    }

    /// <summary>
    /// Sample records for `kmap demo`: <paramref name="count"/> keyed records ("key-N", 97 distinct keys) whose partition
    /// the producer's partitioner picks from the key, as Kafka's clients do; returns once every one is delivered.
    /// </summary>
    public Task ProduceSamplesAsync(string topic, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes($"key-{i % 97}"), Value = Encoding.UTF8.GetBytes($"{topic} record {i}") });
        }
        producer.Flush(cancellationToken);
        return Task.CompletedTask;
    }

    public void Dispose() => producer.Dispose();
}
