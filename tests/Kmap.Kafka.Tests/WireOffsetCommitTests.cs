using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Core.Restore;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;
using CoreTopicPartition = Kmap.Core.Model.TopicPartition;

namespace Kmap.Kafka.Tests;

/// <summary>
/// Admin offset commits through the hand-written OffsetCommit v8: one request per group after one batched coordinator
/// lookup, values read back by librdkafka (a client kmap did not write), active groups refused by name, and the
/// coordinator errors and cut connections of the sandbox's fault injection retried by the restore executor.
/// </summary>
public class WireOffsetCommitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SandboxCluster> StartAsync(SandboxOptions? options = null, AdminClientConfig? creatorConfig = null)
    {
        var sandbox = await SandboxCluster.StartAsync(options ?? new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var config = creatorConfig ?? new AdminClientConfig();
        config.BootstrapServers = sandbox.BootstrapServers;
        using var creator = new AdminClientBuilder(config).Build();
        await creator.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 4, ReplicationFactor = 1 }]);
        return sandbox;
    }

    private static ResetPlan PlanFor(IReadOnlyList<string> groups, Func<int, long> offset) => new(groups.Select((g, i) =>
        new GroupResetPlan(g, "Empty", Enumerable.Range(0, 4).Select(p => new PlannedOffset("orders", p, offset(i) + p)).ToList())).ToList());

    private static async Task<List<(int Partition, long Offset)>> CommittedByLibrdkafkaAsync(SandboxCluster sandbox, string group)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        var result = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]);
        return result.Single().Partitions.Select(p => (p.Partition.Value, p.Offset.Value)).Order().ToList();
    }

    [Fact]
    public async Task Three_hundred_groups_cost_one_coordinator_lookup_and_one_commit_each_and_librdkafka_reads_the_values()
    {
        await using var sandbox = await StartAsync();
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        var groups = Enumerable.Range(0, 300).Select(g => $"group-{g:D3}").ToList();
        var before = sandbox.State.Requests.Snapshot();

        var results = await new ResetExecutor(admin) { MaxConcurrency = 16 }.ApplyAsync(PlanFor(groups, i => 100L * i), Ct);

        var after = sandbox.State.Requests.Snapshot();
        long Delta(ApiKey key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
        Assert.All(results, r => Assert.True(r.Error is null && r.Partitions.All(p => p.Succeeded), $"{r.Group}: {r.Error}"));
        Assert.Equal(1, Delta(ApiKey.FindCoordinator));
        Assert.Equal(300, Delta(ApiKey.OffsetCommit));
        foreach (var g in new[] { 0, 1, 157, 299 })
        {
            Assert.Equal(Enumerable.Range(0, 4).Select(p => (p, 100L * g + p)), await CommittedByLibrdkafkaAsync(sandbox, groups[g]));
        }
    }

    [Fact]
    public async Task A_group_with_an_active_member_is_refused_per_partition_with_what_to_do()
    {
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 1 });
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = sandbox.BootstrapServers,
            GroupId = "live",
            SessionTimeoutMs = 30_000,
        }).Build();
        consumer.Subscribe("orders");
        for (var i = 0; i < 100 && consumer.Assignment.Count == 0; i++)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
        Assert.NotEmpty(consumer.Assignment);
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });

        var results = await admin.AlterOffsetsAsync("live", [new CommittedOffset("orders", 0, 5)], Ct);

        var refused = Assert.Single(results);
        Assert.Equal(new CoreTopicPartition("orders", 0), refused.TopicPartition);
        Assert.Contains("UNKNOWN_MEMBER_ID", refused.Error, StringComparison.Ordinal);
        Assert.Contains("stop its consumers", refused.Error, StringComparison.Ordinal);
        consumer.Close();
    }

    [Fact]
    public async Task A_coordinator_error_on_every_commit_is_one_retriable_error_naming_the_group_and_the_broker()
    {
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 1 });
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        sandbox.Faults.Apply(FaultSpecParser.Parse("error=1:NOT_COORDINATOR@OffsetCommit"));

        var failure = await Assert.ThrowsAsync<ClusterException>(() => admin.AlterOffsetsAsync("billing", [new CommittedOffset("orders", 1, 7)], Ct));
        sandbox.Faults.Clear();
        var retried = await admin.AlterOffsetsAsync("billing", [new CommittedOffset("orders", 1, 7)], Ct);

        Assert.True(failure.Retriable);
        Assert.Contains("group 'billing'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("NOT_COORDINATOR", failure.Message, StringComparison.Ordinal);
        Assert.Contains("broker ", failure.Message, StringComparison.Ordinal);
        Assert.All(retried, r => Assert.True(r.Succeeded));
        Assert.Equal([(1, 7L)], await CommittedByLibrdkafkaAsync(sandbox, "billing"));
    }

    [Theory]
    [InlineData("seed=3;error=0.4:NOT_COORDINATOR@OffsetCommit")]
    [InlineData("seed=4;error=0.3:COORDINATOR_LOAD_IN_PROGRESS@OffsetCommit;error=0.3:COORDINATOR_NOT_AVAILABLE@FindCoordinator")]
    [InlineData("seed=5;error=0.3:REQUEST_TIMED_OUT@OffsetCommit")]
    [InlineData("drop-after=3")]
    [InlineData("move-coordinators=30")]
    public async Task Under_a_fault_the_executor_retries_until_every_group_is_written_exactly(string faults)
    {
        await using var sandbox = await StartAsync();
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        var groups = Enumerable.Range(0, 60).Select(g => $"group-{g:D2}").ToList();
        sandbox.Faults.Apply(FaultSpecParser.Parse(faults));

        var results = await new ResetExecutor(admin).ApplyAsync(PlanFor(groups, i => 10L * i),
            new ApplyOptions { MaxConcurrency = 2, Retries = 8, RetryDelay = TimeSpan.FromMilliseconds(20), Verify = false }, null, Ct);

        sandbox.Faults.Clear();
        Assert.All(results, r => Assert.True(r.Error is null && r.Partitions.All(p => p.Succeeded), $"{r.Group}: {r.Error}"));
        if (!faults.StartsWith("move", StringComparison.Ordinal))
        {
            Assert.True(sandbox.Faults.Counters.TotalErrors + sandbox.Faults.Counters.Drops > 0, "the fault was injected");
            Assert.Contains(results, r => r.Attempts > 1);
        }
        foreach (var g in new[] { 0, 31, 59 })
        {
            Assert.Equal(Enumerable.Range(0, 4).Select(p => (p, 10L * g + p)), await CommittedByLibrdkafkaAsync(sandbox, groups[g]));
        }
    }

    [Fact]
    public async Task Under_sasl_plain_the_commit_authenticates_and_a_wrong_password_is_not_retried()
    {
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 2, SaslMechanisms = ["PLAIN"], Users = new Dictionary<string, string> { ["kmap"] = "s3cret" } },
            new AdminClientConfig { SecurityProtocol = Confluent.Kafka.SecurityProtocol.SaslPlaintext, SaslMechanism = Confluent.Kafka.SaslMechanism.Plain, SaslUsername = "kmap", SaslPassword = "s3cret" });
        ConnectionSettings Settings(string password) => new()
        {
            BootstrapServers = sandbox.BootstrapServers,
            SecurityProtocol = Kmap.Core.Config.SecurityProtocol.SaslPlaintext,
            SaslMechanism = "PLAIN",
            SaslUsername = "kmap",
            SaslPassword = password,
        };
        using var admin = new KafkaAdmin(Settings("s3cret"));
        using var wrong = new KafkaAdmin(Settings("wrong"), TimeSpan.FromSeconds(5));

        var results = await admin.AlterOffsetsAsync("billing", [new CommittedOffset("orders", 2, 9)], Ct);
        var refused = await Assert.ThrowsAsync<ClusterException>(() => wrong.AlterOffsetsAsync("billing", [new CommittedOffset("orders", 2, 1)], Ct));

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.NotEqual(true, refused.Retriable);
        Assert.Contains("authentication of user 'kmap' failed", refused.Message, StringComparison.Ordinal);
    }
}
