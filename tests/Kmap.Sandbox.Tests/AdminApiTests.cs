using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Topic and config administration through librdkafka's admin client.</summary>
public class AdminApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task CreateTopics_creates_and_rejects_what_Kafka_rejects()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "good", NumPartitions = 4, ReplicationFactor = 3 }]);
        var metadata = admin.GetMetadata("good", Timeout);
        var topic = Assert.Single(metadata.Topics);
        Assert.Equal(4, topic.Partitions.Count);
        Assert.All(topic.Partitions, p => Assert.Equal(3, p.Replicas.Length));

        async Task<ErrorCode> Rejected(TopicSpecification spec)
        {
            var e = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync([spec]));
            return Assert.Single(e.Results).Error.Code;
        }
        Assert.Equal(ErrorCode.TopicAlreadyExists, await Rejected(new TopicSpecification { Name = "good", NumPartitions = 1, ReplicationFactor = 1 }));
        Assert.Equal(ErrorCode.InvalidReplicationFactor, await Rejected(new TopicSpecification { Name = "too-many-replicas", NumPartitions = 1, ReplicationFactor = 4 }));
        Assert.Equal(ErrorCode.TopicException, await Rejected(new TopicSpecification { Name = "bad/name", NumPartitions = 1, ReplicationFactor = 1 }));
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "metrics.clash", NumPartitions = 1, ReplicationFactor = 1 }]);
        Assert.Equal(ErrorCode.TopicException, await Rejected(new TopicSpecification { Name = "metrics_clash", NumPartitions = 1, ReplicationFactor = 1 }));
        Assert.Equal(ErrorCode.InvalidConfig, await Rejected(new TopicSpecification { Name = "bad-config", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "soon" } }));
        Assert.Equal(ErrorCode.InvalidConfig, await Rejected(new TopicSpecification { Name = "unknown-config", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["no.such.config"] = "1" } }));

        // validate_only checks but creates nothing.
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "dry", NumPartitions = 1, ReplicationFactor = 1 }], new CreateTopicsOptions { ValidateOnly = true });
        lock (sandbox.State.Sync)
        {
            Assert.False(sandbox.State.Topics.ContainsKey("dry"));
            Assert.False(sandbox.State.Topics.ContainsKey("too-many-replicas"));
        }
    }

    [Fact]
    public async Task DeleteTopics_removes_a_topic_and_reports_an_unknown_one()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "doomed", NumPartitions = 2, ReplicationFactor = 1 }]);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "kept", NumPartitions = 1, ReplicationFactor = 1 }]);
        using (var consumer = KafkaClients.Consumer(sandbox, c => c.GroupId = "watcher"))
        {
            consumer.Commit([new TopicPartitionOffset("doomed", 1, 5), new TopicPartitionOffset("kept", 0, 3)]);
        }
        await admin.DeleteTopicsAsync(["doomed"]);
        lock (sandbox.State.Sync)
        {
            Assert.False(sandbox.State.Topics.ContainsKey("doomed"));
            // Committed offsets of a deleted topic go with it; other topics' stay.
            Assert.Equal(["kept"], sandbox.State.Groups.Find("watcher")!.Offsets.Keys);
        }
        var e = await Assert.ThrowsAsync<DeleteTopicsException>(() => admin.DeleteTopicsAsync(["never-was"]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(e.Results).Error.Code);
    }

    [Fact]
    public async Task CreatePartitions_grows_a_topic_and_refuses_to_shrink_it()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 2 });
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "growing", NumPartitions = 2, ReplicationFactor = 1 }]);
        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "growing", IncreaseTo = 5 }]);
        Assert.Equal(5, Assert.Single(admin.GetMetadata("growing", Timeout).Topics).Partitions.Count);
        var e = await Assert.ThrowsAsync<CreatePartitionsException>(() => admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = "growing", IncreaseTo = 3 }]));
        Assert.Equal(ErrorCode.InvalidPartitions, Assert.Single(e.Results).Error.Code);
        Assert.Contains("higher than the requested 3", Assert.Single(e.Results).Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeConfigs_shows_defaults_and_overrides_with_their_sources()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "configured", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "3600000" } }]);
        var result = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "configured" }]));
        var retention = result.Entries["retention.ms"];
        Assert.Equal("3600000", retention.Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, retention.Source);
        Assert.False(retention.IsDefault);
        var cleanup = result.Entries["cleanup.policy"];
        Assert.Equal("delete", cleanup.Value);
        Assert.Equal(ConfigSource.DefaultConfig, cleanup.Source);
        Assert.Equal("1048588", result.Entries["max.message.bytes"].Value);
        Assert.Equal("1073741824", result.Entries["segment.bytes"].Value);
        Assert.Equal("1", result.Entries["min.insync.replicas"].Value);
        Assert.Equal("CreateTime", result.Entries["message.timestamp.type"].Value);

        var broker = Assert.Single(await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Broker, Name = "0" }]));
        Assert.Equal("0", broker.Entries["broker.id"].Value);
        Assert.True(broker.Entries["broker.id"].IsReadOnly);

        var missing = await Assert.ThrowsAsync<DescribeConfigsException>(() => admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = "absent" }]));
        Assert.Equal(ErrorCode.UnknownTopicOrPart, Assert.Single(missing.Results).Error.Code);
    }

    [Fact]
    public async Task IncrementalAlterConfigs_sets_deletes_and_appends()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "tuned", NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["segment.ms"] = "1000" } }]);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = "tuned" };
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] =
            [
                new ConfigEntry { Name = "retention.ms", Value = "5000", IncrementalOperation = AlterConfigOpType.Set },
                new ConfigEntry { Name = "segment.ms", IncrementalOperation = AlterConfigOpType.Delete },
                new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Append },
            ],
        });
        var entries = Assert.Single(await admin.DescribeConfigsAsync([resource])).Entries;
        Assert.Equal("5000", entries["retention.ms"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, entries["retention.ms"].Source);
        Assert.Equal("604800000", entries["segment.ms"].Value);
        Assert.Equal(ConfigSource.DefaultConfig, entries["segment.ms"].Source);
        Assert.Equal("delete,compact", entries["cleanup.policy"].Value);

        var e = await Assert.ThrowsAsync<IncrementalAlterConfigsException>(() => admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [resource] = [new ConfigEntry { Name = "retention.ms", Value = "1", IncrementalOperation = AlterConfigOpType.Append }],
        }));
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(e.Results).Error.Code);
    }

    [Fact]
    public async Task DescribeCluster_lists_every_broker_and_the_controller()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, ClusterId = "cluster-under-test" });
        using var admin = KafkaClients.Admin(sandbox);
        var cluster = await admin.DescribeClusterAsync();
        Assert.Equal("cluster-under-test", cluster.ClusterId);
        Assert.Equal([0, 1, 2], cluster.Nodes.Select(n => n.Id).Order());
        Assert.Equal(0, cluster.Controller.Id);
        Assert.Equal(sandbox.BootstrapServers, string.Join(',', cluster.Nodes.OrderBy(n => n.Id).Select(n => $"{n.Host}:{n.Port}")));
    }

    [Fact]
    public async Task DeleteRecords_moves_the_log_start_and_fetches_below_it_are_out_of_range()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "trimmed", NumPartitions = 1, ReplicationFactor = 1 }]);
        using (var producer = KafkaClients.Producer(sandbox))
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync("trimmed", new Message<byte[], byte[]> { Value = [(byte)i] });
            }
        }
        var result = Assert.Single(await admin.DeleteRecordsAsync([new TopicPartitionOffset("trimmed", 0, 7)]));
        Assert.Equal(7, result.Offset.Value);
        var e = await Assert.ThrowsAsync<DeleteRecordsException>(() => admin.DeleteRecordsAsync([new TopicPartitionOffset("trimmed", 0, 11)]));
        Assert.Equal(ErrorCode.OffsetOutOfRange, Assert.Single(e.Results).Error.Code);

        // A consumer positioned at 2 is out of range and resets to the new earliest.
        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(new TopicPartitionOffset("trimmed", 0, 2));
        var received = KafkaClients.ConsumeAll(consumer, 3, TimeSpan.FromSeconds(20));
        Assert.Equal([7L, 8L, 9L], received.Select(r => r.Offset.Value));
    }
}
