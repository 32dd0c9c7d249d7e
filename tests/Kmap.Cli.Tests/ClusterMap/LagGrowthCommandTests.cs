using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Cli.Tests.Support;
using Kmap.Core.ClusterMap;
using Kmap.Sandbox;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>Lag growth on a sandbox with a producer that keeps writing while kmap maps the cluster.</summary>
public class LagGrowthCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Topic = "events";

    [Fact]
    public async Task A_group_nobody_consumes_shows_growing_lag_between_the_samples_and_a_caught_up_consumer_does_not()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("stalled", [new TopicPartitionOffset(Topic, 0, 0)])]);
        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var producing = ProduceUntilCancelledAsync(sandbox.BootstrapServers, traffic.Token);
        var consuming = Task.Run(() => ConsumeUntilCancelled(sandbox.BootstrapServers, "live", traffic.Token), Ct);
        await WaitForCommitAsync(admin, "live", 20);

        CliRun.Result run;
        try
        {
            run = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--json", "--lag-sample-interval", "3s");
        }
        finally
        {
            await traffic.CancelAsync();
            await producing;
            await consuming;
        }

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("sampling consumer-group lag again", run.Stderr, StringComparison.Ordinal);
        var map = ClusterMapJson.Deserialize(run.Stdout);
        var stalled = map.ConsumerGroups.Single(g => g.Group == "stalled").LagGrowth!;
        Assert.Equal(LagGrowth.SampleBasis, stalled.Basis);
        Assert.True(stalled.IntervalSeconds >= 2.9, $"interval {stalled.IntervalSeconds}");
        Assert.True(stalled.LagAfter > stalled.LagBefore && stalled.Produced == stalled.Growth && stalled.Consumed == 0, stalled.ToString());
        Assert.True(stalled.IsGrowing);
        var live = map.ConsumerGroups.Single(g => g.Group == "live").LagGrowth!;
        Assert.True(live.Consumed > 0 && !live.IsGrowing, live.ToString());
        var warnings = ClusterWarnings.Of(map);
        Assert.Contains(warnings, w => w.StartsWith($"Group stalled: lag growing: {stalled.LagBefore} -> {stalled.LagAfter} in ", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("live", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_previous_cluster_json_is_the_first_sample_and_zero_takes_one_sample()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("stalled", [new TopicPartitionOffset(Topic, 0, 0)])]);
        using var dir = new TempDirectory();
        var before = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--output", dir.File("before.json"), "--lag-sample-interval", "0");
        await ProduceAsync(sandbox.BootstrapServers, 7);

        var after = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--format", "table", "--previous", dir.File("before.json"));
        var json = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--format", "json", "--previous", dir.File("before.json"));
        var badInterval = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--lag-sample-interval", "soon");
        await using var other = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        var otherCluster = await CliRun.RunAsync("report", "--bootstrap-server", other.BootstrapServers, "--json", "--previous", dir.File("before.json"));

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.DoesNotContain("sampling", before.Stderr, StringComparison.Ordinal);
        Assert.Null(ClusterMapJson.Deserialize(await File.ReadAllTextAsync(dir.File("before.json"), Ct)).ConsumerGroups.Single().LagGrowth);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("Group stalled: lag growing: 0 -> 7 in ", after.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nstalled +classic +Empty +0 +1 +7 +\+[0-9.]+\n", after.Stdout);
        var growth = ClusterMapJson.Deserialize(json.Stdout).ConsumerGroups.Single().LagGrowth!;
        Assert.Equal((LagGrowth.PreviousBasis, 0L, 7L, 7L, 0L), (growth.Basis, growth.LagBefore, growth.LagAfter, growth.Produced, growth.Consumed));
        Assert.Equal(2, badInterval.ExitCode);
        Assert.Contains("'soon' is not a duration", badInterval.Stderr, StringComparison.Ordinal);
        Assert.True(otherCluster.ExitCode == 3, otherCluster.ToString());
        Assert.Contains("no lag growth measured; give a map of this cluster", otherCluster.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_sample_interval_the_map_takes_one_sample_and_returns_and_the_flag_still_samples()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = Topic, NumPartitions = 1, ReplicationFactor = 1 }]);
        await ProduceAsync(sandbox.BootstrapServers, 3);
        // A group with committed offsets: the one thing a second sample would be taken for.
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("stalled", [new TopicPartitionOffset(Topic, 0, 1)])]);
        using var dir = new TempDirectory();

        var compat = await CliRun.RunAsync("-brokers", sandbox.BootstrapServers, "-output", dir.File("compat.json"), "-html", dir.File("report.html"));
        var report = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--json");
        var sampled = await CliRun.RunAsync("-brokers", sandbox.BootstrapServers, "-output", dir.File("sampled.json"), "-lag-sample-interval", "1s");

        foreach (var (run, json) in new[] { (compat, await File.ReadAllTextAsync(dir.File("compat.json"), Ct)), (report, report.Stdout) })
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.DoesNotContain("sampling consumer-group lag again", run.Stderr, StringComparison.Ordinal);
            var group = ClusterMapJson.Deserialize(json).ConsumerGroups.Single();
            Assert.Equal(2, group.TotalLag);
            Assert.Null(group.LagGrowth);
        }
        Assert.True(sampled.ExitCode == 0, sampled.ToString());
        Assert.Contains("sampling consumer-group lag again", sampled.Stderr, StringComparison.Ordinal);
        var growth = ClusterMapJson.Deserialize(await File.ReadAllTextAsync(dir.File("sampled.json"), Ct)).ConsumerGroups.Single().LagGrowth!;
        Assert.Equal((LagGrowth.SampleBasis, 2L, 2L, false), (growth.Basis, growth.LagBefore, growth.LagAfter, growth.IsGrowing));
        Assert.True(growth.IntervalSeconds >= 0.9, growth.ToString());
    }

    private static async Task ProduceAsync(string bootstrap, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<Null, string> { Value = $"e{i}" }, Ct);
        }
    }

    /// <summary>A steady trickle of records (about 50 a second) until cancelled.</summary>
    private static async Task ProduceUntilCancelledAsync(string bootstrap, CancellationToken cancellationToken)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build();
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            for (var i = 0; await pace.WaitForNextTickAsync(cancellationToken); i++)
            {
                await producer.ProduceAsync(new TopicPartition(Topic, 0), new Message<Null, string> { Value = $"e{i}" }, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A consumer that keeps up and commits often (as any healthy consumer does, only faster).</summary>
    private static void ConsumeUntilCancelled(string bootstrap, string group, CancellationToken cancellationToken)
    {
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            AutoCommitIntervalMs = 200,
        }).Build();
        consumer.Subscribe(Topic);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                consumer.Consume(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        consumer.Close();
    }

    private static async Task WaitForCommitAsync(IAdminClient admin, string group, long atLeast)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var listed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, [new TopicPartition(Topic, 0)])]);
            var committed = listed.Single().Partitions.Single().Offset.Value;
            if (committed >= atLeast)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"group {group} never committed offset {atLeast} (last {committed})");
            await Task.Delay(100, Ct);
        }
    }
}
