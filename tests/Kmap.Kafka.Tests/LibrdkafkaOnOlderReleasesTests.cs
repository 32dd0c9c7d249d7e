using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Sandbox;

namespace Kmap.Kafka.Tests;

/// <summary>
/// The librdkafka (Confluent.Kafka) admin calls kmap falls back to, or always uses (ListOffsets), against brokers
/// speaking each Kafka release's API versions: librdkafka must negotiate every one of them down.
/// </summary>
public class LibrdkafkaOnOlderReleasesTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("2.8")]
    [InlineData("3.9")]
    [InlineData("4.1")]
    public async Task Every_admin_call_kmap_makes_through_librdkafka_works(string kafkaVersion)
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 2, KafkaVersion = kafkaVersion }, cancellationToken: TestContext.Current.CancellationToken);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 2, ReplicationFactor = 1 }]);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            for (var i = 0; i < 6; i++)
            {
                await producer.ProduceAsync(new TopicPartition("orders", i % 2), new Message<Null, string> { Value = $"r{i}" });
            }
        }

        var cluster = await admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = Wait });
        Assert.Equal(2, cluster.Nodes.Count);

        var commit = await admin.AlterConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitionOffsets("billing", [new TopicPartitionOffset("orders", 0, 2), new TopicPartitionOffset("orders", 1, 3)])],
            new AlterConsumerGroupOffsetsOptions { RequestTimeout = Wait });
        Assert.All(commit.Single().Partitions, p => Assert.Equal(ErrorCode.NoError, p.Error.Code));

        var offsets = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("billing", null)], new ListConsumerGroupOffsetsOptions { RequestTimeout = Wait });
        Assert.Equal([("orders", 0, 2L), ("orders", 1, 3L)],
            offsets.Single().Partitions.Select(p => (p.Topic, p.Partition.Value, p.Offset.Value)).OrderBy(p => p.Item2));

        var groups = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Wait });
        Assert.Contains(groups.Valid, g => g.GroupId == "billing");
        var described = await admin.DescribeConsumerGroupsAsync(["billing"], new DescribeConsumerGroupsOptions { RequestTimeout = Wait });
        Assert.Equal(ConsumerGroupState.Empty, described.ConsumerGroupDescriptions.Single().State);

        var ends = await admin.ListOffsetsAsync(
            [new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("orders", 0), OffsetSpec = OffsetSpec.Latest() },
             new TopicPartitionOffsetSpec { TopicPartition = new TopicPartition("orders", 1), OffsetSpec = OffsetSpec.Earliest() }],
            new ListOffsetsOptions { RequestTimeout = Wait });
        Assert.Equal([3L, 0L], ends.ResultInfos.OrderBy(r => r.TopicPartitionOffsetError.Partition.Value).Select(r => r.TopicPartitionOffsetError.Offset.Value));
    }
}
