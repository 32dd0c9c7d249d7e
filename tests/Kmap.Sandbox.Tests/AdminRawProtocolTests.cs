using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Version-specific answers of the admin APIs that librdkafka does not exercise.</summary>
public class AdminRawProtocolTests
{
    [Fact]
    public async Task CreateTopics_v7_returns_id_layout_and_configs_and_DeleteTopics_v6_deletes_by_id()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 2 });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var create = new CreateTopicsRequest(
            [new CreatableTopic("by-id", -1, -1, [], [new CreatableTopicConfig("cleanup.policy", "compact")]),
             new CreatableTopic("assigned", -1, -1, [new CreatableReplicaAssignment(0, [1, 0]), new CreatableReplicaAssignment(1, [0, 1])], [])],
            30000, false);
        var created = await connection.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(ApiKey.CreateTopics, 7, create, flexible: true);
        var byId = created.Topics[0];
        Assert.Equal(ErrorCode.None, byId.ErrorCode);
        Assert.NotEqual(Guid.Empty, byId.TopicId);
        Assert.Equal((1, (short)1), (byId.NumPartitions, byId.ReplicationFactor));
        var cleanup = Assert.Single(byId.Configs!, c => c.Name == "cleanup.policy");
        Assert.Equal(("compact", (sbyte)ConfigSource.DynamicTopicConfig), (cleanup.Value, cleanup.ConfigSource));
        Assert.Equal((sbyte)ConfigSource.DefaultConfig, Assert.Single(byId.Configs!, c => c.Name == "retention.ms").ConfigSource);
        Assert.Equal((2, (short)2), (created.Topics[1].NumPartitions, created.Topics[1].ReplicationFactor));
        lock (sandbox.State.Sync)
        {
            Assert.Equal([1, 0], sandbox.State.FindPartition("assigned", 0)!.Replicas);
            Assert.Equal(1, sandbox.State.FindPartition("assigned", 0)!.LeaderId);
        }

        var delete = new DeleteTopicsRequest([new DeleteTopicState(null, byId.TopicId), new DeleteTopicState(null, Guid.NewGuid())], 30000);
        var deleted = await connection.RoundTripAsync<DeleteTopicsRequest, DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, delete, flexible: true);
        Assert.Equal(("by-id", ErrorCode.None), (deleted.Responses[0].Name, deleted.Responses[0].ErrorCode));
        Assert.Equal(ErrorCode.UnknownTopicId, deleted.Responses[1].ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.False(sandbox.State.Topics.ContainsKey("by-id"));
        }
    }

    [Fact]
    public async Task Partition_counts_librdkafka_would_refuse_are_refused_by_the_broker_too()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var create = new CreateTopicsRequest(
            [new CreatableTopic("zero", 0, 1, [], []), new CreatableTopic("billions", int.MaxValue, 1, [], []), new CreatableTopic("no-replicas", 1, 0, [], [])],
            30000, false);
        var created = await connection.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(ApiKey.CreateTopics, 4, create, flexible: false);
        Assert.Equal([ErrorCode.InvalidPartitions, ErrorCode.InvalidPartitions, ErrorCode.InvalidReplicationFactor], created.Topics.Select(t => t.ErrorCode));

        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("small", 1, 1);
        }
        var grow = new CreatePartitionsRequest([new CreatePartitionsTopic("small", int.MaxValue, null)], 30000, false);
        var grown = await connection.RoundTripAsync<CreatePartitionsRequest, CreatePartitionsResponse>(ApiKey.CreatePartitions, 3, grow, flexible: true);
        Assert.Equal(ErrorCode.InvalidPartitions, Assert.Single(grown.Results).ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(["small"], sandbox.State.Topics.Keys);
            Assert.Single(sandbox.State.Topics["small"].Partitions);
        }
    }

    [Fact]
    public async Task DescribeConfigs_v0_marks_defaults_and_v1_lists_synonyms()
    {
        // Kafka 4 removed DescribeConfigs v0 (KIP-896): a 3.9 broker still has it.
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { KafkaVersion = "3.9" });
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("described", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" });
        }
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var request = new DescribeConfigsRequest([new DescribeConfigsResource(ConfigResourceType.Topic, "described", ["retention.ms", "segment.bytes"])], true, false);

        var v0 = await connection.RoundTripAsync<DescribeConfigsRequest, DescribeConfigsResponse>(ApiKey.DescribeConfigs, 0, request, flexible: false);
        var entries = Assert.Single(v0.Results).Configs;
        Assert.Equal(["retention.ms", "segment.bytes"], entries.Select(e => e.Name).Order());
        Assert.False(entries.Single(e => e.Name == "retention.ms").IsDefault);
        Assert.True(entries.Single(e => e.Name == "segment.bytes").IsDefault);

        var v4 = await connection.RoundTripAsync<DescribeConfigsRequest, DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, request, flexible: true);
        var retention = Assert.Single(v4.Results).Configs.Single(e => e.Name == "retention.ms");
        Assert.Equal([("retention.ms", "1000", (sbyte)ConfigSource.DynamicTopicConfig), ("log.retention.ms", "604800000", (sbyte)ConfigSource.DefaultConfig)],
            retention.Synonyms.Select(s => (s.Name, s.Value, s.Source)));
        Assert.Equal((sbyte)ConfigType.Long, retention.ConfigType);
    }

    [Fact]
    public async Task AlterConfigs_replaces_every_override_and_validate_only_changes_nothing()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("altered", 1, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" });
        }
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        AlterConfigsRequest Request(bool validateOnly, string value) =>
            new([new AlterConfigsResource(ConfigResourceType.Topic, "altered", [new AlterableConfig("segment.ms", value)])], validateOnly);

        var dry = await connection.RoundTripAsync<AlterConfigsRequest, AlterConfigsResponse>(ApiKey.AlterConfigs, 2, Request(true, "5000"), flexible: true);
        Assert.Equal(ErrorCode.None, Assert.Single(dry.Responses).ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(["retention.ms"], sandbox.State.Topics["altered"].Configs.Keys);
        }
        var bad = await connection.RoundTripAsync<AlterConfigsRequest, AlterConfigsResponse>(ApiKey.AlterConfigs, 0, Request(false, "later"), flexible: false);
        Assert.Equal(ErrorCode.InvalidConfig, Assert.Single(bad.Responses).ErrorCode);
        var real = await connection.RoundTripAsync<AlterConfigsRequest, AlterConfigsResponse>(ApiKey.AlterConfigs, 1, Request(false, "5000"), flexible: false);
        Assert.Equal(ErrorCode.None, Assert.Single(real.Responses).ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal([("segment.ms", "5000")], sandbox.State.Topics["altered"].Configs.Select(c => (c.Key, c.Value)));
        }
    }

    [Fact]
    public async Task DescribeCluster_refuses_controller_endpoints()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var brokers = await connection.RoundTripAsync<DescribeClusterRequest, DescribeClusterResponse>(ApiKey.DescribeCluster, 1, new DescribeClusterRequest(false, 1), flexible: true);
        Assert.Equal(ErrorCode.None, brokers.ErrorCode);
        Assert.Single(brokers.Brokers);
        var controllers = await connection.RoundTripAsync<DescribeClusterRequest, DescribeClusterResponse>(ApiKey.DescribeCluster, 1, new DescribeClusterRequest(false, 2), flexible: true);
        Assert.Equal((ErrorCode)119, controllers.ErrorCode);
    }
}
