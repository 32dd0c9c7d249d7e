using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Sandbox;
using Kmap.Sandbox.Protocol;

namespace Kmap.Kafka.Tests;

/// <summary>The hand-written multi-group OffsetFetch against the sandbox: many groups, few round trips, exact values.</summary>
public class MultiGroupOffsetFetchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GROUP_ID_NOT_FOUND_from_a_broker_means_no_offsets_not_a_failure()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using (var creator = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            await creator.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 1, ReplicationFactor = 1 }]);
        }
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        Assert.All(await admin.AlterOffsetsAsync("billing", [new CommittedOffset("orders", 0, 7)], Ct), r => Assert.Null(r.Error));
        sandbox.Faults.Apply(Kmap.Sandbox.Faults.FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND"));

        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(["billing", "billing-copy", "gone"], null, Ct);
        var single = await ((IClusterReader)admin).ListCommittedOffsetsAsync("billing-copy", Ct);

        Assert.NotNull(answers);
        Assert.Equal([new CommittedOffset("orders", 0, 7)], answers["billing"].Offsets!.Select(o => o with { LeaderEpoch = null, Metadata = null }));
        Assert.Null(answers["billing-copy"].Error);
        Assert.Empty(answers["billing-copy"].Offsets!);
        Assert.Null(answers["gone"].Error);
        Assert.Empty(answers["gone"].Offsets!);
        Assert.Empty(single);
        Assert.True(sandbox.Faults.Counters.Errors(ApiKey.OffsetFetch) >= 3, "the fault answered GROUP_ID_NOT_FOUND");
    }

    [Fact]
    public async Task Six_hundred_groups_on_three_coordinators_are_read_in_a_handful_of_requests()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        using (var creator = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            await creator.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 4, ReplicationFactor = 1 }, new TopicSpecification { Name = "payments", NumPartitions = 1, ReplicationFactor = 1 }]);
        }
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        var groups = Enumerable.Range(0, 600).Select(g => $"group-{g:D3}").ToList();
        using (var gate = new SemaphoreSlim(32))
        {
            await Task.WhenAll(groups.Select(async (group, g) =>
            {
                await gate.WaitAsync(Ct);
                try
                {
                    var results = await admin.AlterOffsetsAsync(group, [new CommittedOffset("orders", g % 4, 10L * g), new CommittedOffset("payments", 0, g + 1)], Ct);
                    Assert.All(results, r => Assert.Null(r.Error));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        var before = sandbox.State.Requests.Snapshot();

        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync([.. groups, "never-committed"], null, Ct);

        var after = sandbox.State.Requests.Snapshot();
        Assert.NotNull(answers);
        Assert.Equal(601, answers.Count);
        Assert.Empty(answers["never-committed"].Offsets!);
        for (var g = 0; g < groups.Count; g++)
        {
            var answer = answers[groups[g]];
            Assert.Null(answer.Error);
            Assert.Equal([("orders", g % 4, 10L * g), ("payments", 0, g + 1L)],
                answer.Offsets!.OrderBy(o => o.TopicPartition).Select(o => (o.Topic, o.Partition, o.Offset)));
        }
        long Delta(ApiKey key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
        // 601 keys fit one FindCoordinator; 250 groups per OffsetFetch, per coordinator: at most 3 + 3.
        Assert.Equal(1, Delta(ApiKey.FindCoordinator));
        Assert.InRange(Delta(ApiKey.OffsetFetch), 3, 6);
    }

    [Theory]
    [InlineData("2.8")]
    [InlineData("3.9")]
    public async Task A_broker_without_the_batched_versions_is_read_one_group_per_request_exactly(string kafkaVersion)
    {
        // Kafka 2.8 has FindCoordinator v0-3 and OffsetFetch v0-7: no batched keys, no multi-group fetch.
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion }, cancellationToken: Ct);
        using (var creator = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            await creator.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 4, ReplicationFactor = 1 }]);
        }
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        var groups = Enumerable.Range(0, 40).Select(g => $"group-{g:D2}").ToList();
        foreach (var (group, g) in groups.Select((group, g) => (group, g)))
        {
            Assert.All(await admin.AlterOffsetsAsync(group, [new CommittedOffset("orders", g % 4, 10L * g)], Ct), r => Assert.Null(r.Error));
        }
        var before = sandbox.State.Requests.Snapshot();

        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync([.. groups, "never-committed"], null, Ct);

        var after = sandbox.State.Requests.Snapshot();
        long Delta(ApiKey key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
        Assert.NotNull(answers);
        Assert.Empty(answers["never-committed"].Offsets!);
        for (var g = 0; g < groups.Count; g++)
        {
            Assert.Null(answers[groups[g]].Error);
            Assert.Equal([("orders", g % 4, 10L * g)], answers[groups[g]].Offsets!.Select(o => (o.Topic, o.Partition, o.Offset)));
        }
        if (kafkaVersion == "2.8")
        {
            Assert.Equal(41, Delta(ApiKey.FindCoordinator));
            Assert.Equal(41, Delta(ApiKey.OffsetFetch));
        }
        else
        {
            Assert.Equal(1, Delta(ApiKey.FindCoordinator));
            Assert.InRange(Delta(ApiKey.OffsetFetch), 1, 3);
        }
    }
}
