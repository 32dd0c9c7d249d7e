using Confluent.Kafka;

namespace Kmap.Sandbox.Tests.Support;

/// <summary>Confluent.Kafka (librdkafka) clients pointed at a sandbox, with settings that keep tests fast.</summary>
public static class KafkaClients
{
    public static IAdminClient Admin(SandboxCluster sandbox) =>
        new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers, BrokerAddressFamily = BrokerAddressFamily.V4 }).Build();

    public static IProducer<byte[], byte[]> Producer(SandboxCluster sandbox, Action<ProducerConfig>? configure = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = sandbox.BootstrapServers,
            BrokerAddressFamily = BrokerAddressFamily.V4,
            LingerMs = 0,
            MessageTimeoutMs = 15000,
        };
        configure?.Invoke(config);
        return new ProducerBuilder<byte[], byte[]>(config).Build();
    }

    public static IConsumer<byte[], byte[]> Consumer(SandboxCluster sandbox, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = sandbox.BootstrapServers,
            BrokerAddressFamily = BrokerAddressFamily.V4,
            GroupId = "unused-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = 100,
        };
        configure?.Invoke(config);
        return new ConsumerBuilder<byte[], byte[]>(config).Build();
    }

    /// <summary>Consumes until <paramref name="count"/> messages arrived or the deadline passed.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ConsumeAll(IConsumer<byte[], byte[]> consumer, int count, TimeSpan deadline)
    {
        var results = new List<ConsumeResult<byte[], byte[]>>();
        var until = DateTime.UtcNow + deadline;
        while (results.Count < count && DateTime.UtcNow < until)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (result is { IsPartitionEOF: false, Message: not null })
            {
                results.Add(result);
            }
        }
        return results;
    }
}
