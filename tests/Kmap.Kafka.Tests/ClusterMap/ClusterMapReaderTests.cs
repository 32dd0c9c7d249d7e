using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Sandbox;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Kafka.Tests.ClusterMap;

/// <summary>ClusterMapReader and TopicSizeReader against a three-broker sandbox.</summary>
public class ClusterMapReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task ProduceAsync(string bootstrap, string topic, int partition, int count, int valueBytes)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, partition), new Message<string, string> { Key = "k", Value = new string('x', valueBytes) }, Ct);
        }
    }

    [Fact]
    public async Task Maps_brokers_topics_configs_offsets_and_groups()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "orders", NumPartitions = 3, ReplicationFactor = 2, Configs = new() { ["retention.ms"] = "3600000" } },
                new TopicSpecification { Name = "audit", NumPartitions = 1, ReplicationFactor = 3 },
            ]);
            await ProduceAsync(bootstrap, "orders", 1, 12, 10);
            await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("billing", [new TopicPartitionOffset("orders", 1, 4)])]);
        }
        using var kmap = new KafkaAdmin(new ConnectionSettings { BootstrapServers = bootstrap });

        var map = await new ClusterMapReader(kmap, TimeProvider.System).ReadAsync(bootstrap, Ct);

        Assert.Equal([0, 1, 2], map.Brokers.Select(b => b.Id));
        Assert.Single(map.Brokers, b => b.IsController);
        Assert.Equal(3 * 2 + 3, map.Brokers.Sum(b => b.PartitionCount));
        Assert.Equal(4, map.Brokers.Sum(b => b.LeaderCount));
        var orders = Assert.Single(map.Topics, t => t.Name == "orders");
        Assert.Equal((3, 2, 12L), (orders.Partitions.Count, orders.ReplicationFactor, orders.MessageCount!.Value));
        Assert.Equal([new TopicConfigEntry("retention.ms", "3600000", ConfigSources.DynamicTopic)], orders.Configs);
        Assert.Equal(3, Assert.Single(map.Topics, t => t.Name == "audit").ReplicationFactor);
        var billing = Assert.Single(map.ConsumerGroups, g => g.Group == "billing");
        Assert.Equal([("orders", 1, 4L, 8L)], billing.Offsets.Select(o => (o.Topic, o.Partition, o.Offset, o.Lag!.Value)));
        Assert.Equal(0, map.Totals.UnderReplicatedPartitions);
    }

    [Fact]
    public async Task Topic_sizes_come_from_every_broker_largest_first()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "small", NumPartitions = 1, ReplicationFactor = 3 },
                new TopicSpecification { Name = "big", NumPartitions = 2, ReplicationFactor = 2 },
                new TopicSpecification { Name = "empty", NumPartitions = 1, ReplicationFactor = 1 },
            ]);
        }
        await ProduceAsync(bootstrap, "small", 0, 2, 10);
        await ProduceAsync(bootstrap, "big", 0, 20, 1000);
        await ProduceAsync(bootstrap, "big", 1, 5, 1000);
        var settings = new ConnectionSettings { BootstrapServers = bootstrap };
        using var kmap = new KafkaAdmin(settings);

        var sizes = await new TopicSizeReader(kmap, settings).ReadAsync(null, Ct);
        var some = await new TopicSizeReader(kmap, settings).ReadAsync(["small"], Ct);

        Assert.Equal(["big", "small", "empty"], sizes.Select(s => s.Topic));
        var big = sizes[0];
        Assert.InRange(big.SizeBytes, 25 * 1000, 25 * 1000 + 25 * 200);
        Assert.Equal(2 * big.SizeBytes, big.ReplicaBytes);
        Assert.Equal(3 * sizes[1].SizeBytes, sizes[1].ReplicaBytes);
        Assert.Equal((0L, 0L), (sizes[2].SizeBytes, sizes[2].ReplicaBytes));
        Assert.Equal([sizes[1]], some);
    }
}
