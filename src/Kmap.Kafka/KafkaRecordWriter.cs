using Confluent.Kafka;
using Kmap.Core.Config;

namespace Kmap.Kafka;

/// <summary>Produces records with chosen timestamps: what `kmap demo` uses to fill its two sandboxes.</summary>
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

    public void Dispose() => producer.Dispose();
}
