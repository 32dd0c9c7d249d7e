using CsCheck;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

public class MetadataTests
{
    private static readonly Gen<MetadataResponsePartition> Partition =
        Gen.Select(Gen.Int[0, 100], Gen.Int[-1, 5], Gen.Int[-1, 10], Gen.Int[0, 5].List[0, 3],
            (index, leader, epoch, replicas) => new MetadataResponsePartition(ErrorCode.None, index, leader, epoch, replicas, replicas, []));

    private static readonly Gen<MetadataResponseTopic> Topic =
        Gen.Select(Gen.String.AlphaNumeric, Gen.Guid, Gen.Bool, Partition.List[0, 4],
            (name, id, isInternal, partitions) => new MetadataResponseTopic(ErrorCode.None, name, id, isInternal, partitions, int.MinValue));

    [Fact]
    public void Request_and_response_round_trip_at_every_version()
    {
        Gen.Select(Gen.Short[0, 12], Gen.String.AlphaNumeric.List[0, 4], Gen.Bool, Topic.List[0, 4])
            .Sample((version, names, auto, topics) =>
            {
                var flexible = version >= 9;
                IReadOnlyList<MetadataRequestTopic>? requested = names.Count == 0 ? null : names.Select(n => new MetadataRequestTopic(Guid.Empty, n)).ToList();
                RoundTrip.AssertStable(new MetadataRequest(requested, auto, false, false), version, flexible);
                var brokers = new List<MetadataResponseBroker> { new(0, "127.0.0.1", 9092, version >= 1 ? "rack-a" : null) };
                RoundTrip.AssertStable(new MetadataResponse(0, brokers, "cluster", 0, topics, int.MinValue), version, flexible);
            });
    }

    [Fact]
    public async Task Three_brokers_spread_partition_leaders()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("orders", 6, 3);
        }
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<MetadataRequest, MetadataResponse>(
            ApiKey.Metadata, 12, new MetadataRequest(null, false, false, false), flexible: true);
        Assert.Equal(3, response.Brokers.Count);
        var orders = Assert.Single(response.Topics);
        Assert.Equal(6, orders.Partitions.Count);
        Assert.Equal(3, orders.Partitions.Select(p => p.LeaderId).Distinct().Count());
        Assert.All(orders.Partitions, p => Assert.Equal(3, p.ReplicaNodes.Count));
    }

    [Fact]
    public async Task Unknown_topic_is_auto_created_only_when_allowed()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { AutoCreateTopics = false });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<MetadataRequest, MetadataResponse>(
            ApiKey.Metadata, 4, new MetadataRequest([new MetadataRequestTopic(Guid.Empty, "missing")], true, false, false), flexible: false);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Assert.Single(response.Topics).ErrorCode);

        await using var autoCreating = await SandboxCluster.StartAsync();
        await using var second = await RawKafkaConnection.ConnectAsync(autoCreating.BootstrapServers);
        var created = await second.RoundTripAsync<MetadataRequest, MetadataResponse>(
            ApiKey.Metadata, 4, new MetadataRequest([new MetadataRequestTopic(Guid.Empty, "fresh")], true, false, false), flexible: false);
        Assert.Equal(ErrorCode.None, Assert.Single(created.Topics).ErrorCode);
        Assert.Single(created.Topics[0].Partitions);
    }
}
