using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;

namespace Kmap.Kafka.Tests.ClusterMap;

/// <summary>
/// The cluster map of many groups: descriptions and committed offsets are read many groups per request to each
/// coordinator, so its round trips do not grow with groups, and its content is what group-by-group reading gives.
/// </summary>
public class ClusterMapScaleTests
{
    private const int Groups = 120;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_map_of_120_groups_costs_a_bounded_number_of_round_trips_and_matches_the_group_by_group_map()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        using (var creator = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await creator.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "orders", NumPartitions = 4, ReplicationFactor = 2 },
                new TopicSpecification { Name = "payments", NumPartitions = 1, ReplicationFactor = 1 },
            ]);
        }
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                await producer.ProduceAsync(new Confluent.Kafka.TopicPartition("orders", i % 4), new Message<string, string> { Key = "k", Value = "v" }, Ct);
            }
        }
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = bootstrap });
        using (var gate = new SemaphoreSlim(32))
        {
            await Task.WhenAll(Enumerable.Range(0, Groups).Select(async g =>
            {
                await gate.WaitAsync(Ct);
                try
                {
                    var results = await admin.AlterOffsetsAsync($"group-{g:D3}", [new CommittedOffset("orders", g % 4, g % 5), new CommittedOffset("payments", 0, 0)], Ct);
                    Assert.All(results, r => Assert.Null(r.Error));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        // One group with a member and its assignment, so the comparison covers what DescribeGroups decodes.
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "live",
            ClientId = "live-client",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("orders");
        using (var assigned = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            assigned.CancelAfter(TimeSpan.FromSeconds(60));
            while (consumer.Assignment.Count == 0)
            {
                assigned.Token.ThrowIfCancellationRequested();
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }
        }
        var before = sandbox.State.Requests.Snapshot();

        var map = await new ClusterMapReader(admin, TimeProvider.System).ReadAsync(bootstrap, Ct);

        var after = sandbox.State.Requests.Snapshot();
        var reference = await new ClusterMapReader(admin, TimeProvider.System) { Batched = false }.ReadAsync(bootstrap, Ct);
        long Delta(ApiKey key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
        var total = after.Sum(a => a.Value) - before.Sum(b => b.Value);
        // Group by group this was about 6 round trips per group (FindCoordinator, ApiVersions, OffsetFetch, DescribeGroups: 700 here).
        Assert.True(total < 60, $"the map of {Groups} groups took {total} round trips: {string.Join(", ", after.Select(a => $"{a.Key} {Delta(a.Key)}").Where(s => !s.EndsWith(" 0", StringComparison.Ordinal)))}");
        Assert.InRange(Delta(ApiKey.DescribeGroups), 1, 6);
        Assert.InRange(Delta(ApiKey.FindCoordinator), 1, 4);
        Assert.InRange(Delta(ApiKey.OffsetFetch), 1, 6);
        Assert.Equal(Groups + 1, map.ConsumerGroups.Count);
        var live = Assert.Single(map.ConsumerGroups, g => g.Group == "live");
        Assert.Equal(GroupState.Stable, live.State);
        var member = Assert.Single(live.Members);
        Assert.Equal("live-client", member.ClientId);
        Assert.Equal([0, 1, 2, 3], member.Assignment.Select(a => a.Partition));
        Assert.Equal("range", live.Protocol);
        Assert.Equal([("orders", 3, 3L, 2L), ("payments", 0, 0L, 0L)],
            map.ConsumerGroups.Single(g => g.Group == "group-003").Offsets.Select(o => (o.Topic, o.Partition, o.Offset, o.Lag!.Value)));
        var at = DateTimeOffset.UnixEpoch;
        Assert.Equal(ClusterMapJson.Serialize(reference with { Timestamp = at, OffsetsReadAt = at }), ClusterMapJson.Serialize(map with { Timestamp = at, OffsetsReadAt = at }));
        consumer.Close();
    }

    [Theory]
    [InlineData("seed=3;error=0.7:NOT_COORDINATOR@DescribeGroups")]
    [InlineData("seed=4;error=0.6:COORDINATOR_LOAD_IN_PROGRESS@DescribeGroups;error=0.5:COORDINATOR_NOT_AVAILABLE@FindCoordinator")]
    [InlineData("seed=5;stall=0.6:11000@DescribeGroups")]
    public async Task Under_coordinator_faults_the_batched_descriptions_are_retried_until_the_map_is_the_fault_free_one(string faults)
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        using (var creator = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            await creator.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1, ReplicationFactor = 1 }]);
        }
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = bootstrap }, TimeSpan.FromSeconds(60));
        for (var g = 0; g < 40; g++)
        {
            var results = await admin.AlterOffsetsAsync($"group-{g:D2}", [new CommittedOffset("orders", 0, g)], Ct);
            Assert.All(results, r => Assert.Null(r.Error));
        }
        sandbox.Faults.Apply(FaultSpecParser.Parse(faults));

        var map = await new ClusterMapReader(admin, TimeProvider.System).ReadAsync(bootstrap, Ct);

        var injected = sandbox.Faults.Counters.TotalErrors + sandbox.Faults.Counters.Stalls(ApiKey.DescribeGroups);
        sandbox.Faults.Clear();
        var reference = await new ClusterMapReader(admin, TimeProvider.System) { Batched = false }.ReadAsync(bootstrap, Ct);
        Assert.True(injected > 0, "the fault was injected");
        Assert.All(map.ConsumerGroups, g => Assert.Null(g.Error));
        var at = DateTimeOffset.UnixEpoch;
        Assert.Equal(ClusterMapJson.Serialize(reference with { Timestamp = at, OffsetsReadAt = at }), ClusterMapJson.Serialize(map with { Timestamp = at, OffsetsReadAt = at }));
    }
}
