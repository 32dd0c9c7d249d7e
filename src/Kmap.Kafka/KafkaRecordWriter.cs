using Confluent.Kafka;
using Kmap.Core.Config;

namespace Kmap.Kafka;

/// <summary>
/// kmap's one producer: records with chosen partitions and timestamps (what `kmap demo` fills its two sandboxes
/// with), or keyed records whose partition the producer's partitioner picks (<see cref="SampleTraffic"/>).
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

    /// <summary>Queues a record without a partition: the partitioner picks one from the key, as Kafka's clients do. See <see cref="Flush"/>.</summary>
    public void Produce(string topic, byte[]? key, byte[]? value) =>
        producer.Produce(topic, new Message<byte[]?, byte[]?> { Key = key, Value = value });

    /// <summary>Waits until every queued record is delivered (or has failed).</summary>
    public void Flush(CancellationToken cancellationToken) => producer.Flush(cancellationToken);

    public void Dispose() => producer.Dispose();
}
