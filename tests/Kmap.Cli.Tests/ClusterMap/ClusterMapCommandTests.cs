using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Cli.Tests.Support;
using Kmap.Core.ClusterMap;
using Kmap.Sandbox;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>The compat mode's map flags and the report/topics/recreate-topics/compare/topic-sizes commands on sandboxes.</summary>
public class ClusterMapCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A source cluster worth migrating: configs, records, a group with commits.</summary>
    private static async Task<SandboxCluster> StartSourceAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "orders", NumPartitions = 3, ReplicationFactor = 2, Configs = new() { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact,delete" } },
            new TopicSpecification { Name = "payments.v1", NumPartitions = 2, ReplicationFactor = 3 },
        ]);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        for (var i = 0; i < 9; i++)
        {
            await producer.ProduceAsync(new TopicPartition("orders", i % 3), new Message<Null, string> { Value = $"o{i}" }, Ct);
        }
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("billing", [new TopicPartitionOffset("orders", 2, 1)])]);
        return sandbox;
    }

    [Fact]
    public async Task No_output_flag_writes_the_cluster_json_and_html_report_under_their_default_names()
    {
        await using var sandbox = await StartSourceAsync();
        using var dir = new TempDirectory();

        var run = await KmapBinary.RunAsync(dir.Path, null, "-brokers", sandbox.BootstrapServers);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["kafka-cluster-info.json", "kafka-cluster-report.html"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var map = ClusterMapJson.Deserialize(await File.ReadAllTextAsync(dir.File("kafka-cluster-info.json"), Ct));
        Assert.Equal(9, map.Topics.Single(t => t.Name == "orders").MessageCount);
        Assert.Contains("3 brokers, ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_output_flag_writes_exactly_that_and_bare_json_means_the_default_name()
    {
        await using var sandbox = await StartSourceAsync();
        using var dir = new TempDirectory();

        var run = await KmapBinary.RunAsync(dir.Path, null, "-brokers", sandbox.BootstrapServers, "-output", "json", "-dot", "cluster.dot");
        var dot = await ProcessRunner.RunAsync("dot", ["-Tsvg", dir.File("cluster.dot")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["cluster.dot", "kafka-cluster-info.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(dot.ExitCode == 0, dot.ToString());
        Assert.Contains("billing", dot.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_json_goes_to_stdout_and_jq_reads_it()
    {
        await using var sandbox = await StartSourceAsync();

        var run = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var billing = json.RootElement.GetProperty("consumer_groups").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "billing");
        Assert.Equal(2, billing.GetProperty("total_lag").GetInt64());
        Assert.Equal(5, json.RootElement.GetProperty("totals").GetProperty("partitions").GetInt32());
    }

    [Fact]
    public async Task Topic_sizes_print_largest_first_and_write_json_for_the_topic_list()
    {
        await using var sandbox = await StartSourceAsync();
        using var dir = new TempDirectory();

        var run = await KmapBinary.RunAsync(dir.Path, null, "-brokers", sandbox.BootstrapServers, "-topic-sizes", "-topic-sizes-output", "sizes.json", "-topic-list", "orders,payments.v1");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("TOPIC", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("orders ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("payments.v1 ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("TOTAL", lines[3], StringComparison.Ordinal);
        Assert.Contains("compacted topics", run.Stderr, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(dir.File("sizes.json"), Ct));
        var orders = json.RootElement.GetProperty("topics")[0];
        Assert.Equal(("orders", 9L), (orders.GetProperty("topic").GetString(), orders.GetProperty("message_count").GetInt64()));
        Assert.True(orders.GetProperty("size_bytes").GetInt64() > 0);
        Assert.Equal(2 * orders.GetProperty("size_bytes").GetInt64(), orders.GetProperty("replica_bytes").GetInt64());
    }

    [Fact]
    public async Task A_recreation_script_run_with_kmap_topics_leaves_an_empty_target_equal_in_topics_and_configs()
    {
        await using var source = await StartSourceAsync();
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using var dir = new TempDirectory();
        var map = await KmapBinary.RunAsync(dir.Path, null, "-brokers", source.BootstrapServers, "-output", "source.json", "-recreate-script", "recreate-topics.sh");
        var environment = new Dictionary<string, string?> { ["BOOTSTRAP_SERVERS"] = target.BootstrapServers, ["KAFKA_TOPICS"] = KmapBinary.Path };

        var before = await KmapBinary.RunAsync(dir.Path, null, "compare", "source.json", "--target-brokers", target.BootstrapServers, "--skip", "messages,groups");
        var dryRun = await ProcessRunner.RunAsync("bash", ["./recreate-topics.sh", "--dry-run"], environment: environment, workingDirectory: dir.Path);
        var first = await ProcessRunner.RunAsync("bash", ["./recreate-topics.sh"], environment: environment, workingDirectory: dir.Path);
        var second = await ProcessRunner.RunAsync("bash", ["./recreate-topics.sh"], environment: environment, workingDirectory: dir.Path);
        var after = await KmapBinary.RunAsync(dir.Path, null, "compare", "source.json", "--target-brokers", target.BootstrapServers, "--skip", "messages,groups");
        var withMessages = await KmapBinary.RunAsync(dir.Path, null, "compare", "source.json", "--target-brokers", target.BootstrapServers, "--json");

        Assert.True(map.ExitCode == 0, map.ToString());
        Assert.Equal(3, before.ExitCode);
        Assert.Matches(@"\ntopic +orders +present +\(absent\)\n", before.Stdout);
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Created topic orders.", first.Stdout, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Summary: 2 of 2 topic(s) created or already present, 0 failed.", second.Stdout, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("The clusters are equal.", after.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, withMessages.ExitCode);
        using var json = JsonDocument.Parse(withMessages.Stdout);
        Assert.Equal(
            ["messages orders", "group billing"],
            json.RootElement.GetProperty("differences").EnumerateArray().Select(d => $"{d.GetProperty("kind").GetString()} {d.GetProperty("subject").GetString()}"));
    }

    [Fact]
    public async Task Recreate_topics_plans_first_then_creates_with_execute()
    {
        await using var source = await StartSourceAsync();
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        using var dir = new TempDirectory();
        var json = dir.File("source.json");
        Assert.Equal(0, (await CliRun.RunAsync("-brokers", source.BootstrapServers, "-output", json)).ExitCode);

        var plan = await CliRun.RunAsync("recreate-topics", "--from", json, "--brokers", target.BootstrapServers, "--replication-factor", "1");
        var planJson = await CliRun.RunAsync("recreate-topics", "--from", json, "--brokers", target.BootstrapServers, "--replication-factor", "1", "--format", "json");
        var planned = await CliRun.RunAsync("topics", "--bootstrap-server", target.BootstrapServers, "--list");
        var execute = await CliRun.RunAsync("recreate-topics", "--from", json, "--brokers", target.BootstrapServers, "--replication-factor", "1", "--execute");
        var again = await CliRun.RunAsync("recreate-topics", "--from", json, "--brokers", target.BootstrapServers, "--replication-factor", "1");
        var againJson = await CliRun.RunAsync("recreate-topics", "--from", json, "--brokers", target.BootstrapServers, "--replication-factor", "1", "--execute", "--format", "json");
        var compare = await CliRun.RunAsync("compare", json, "--target-brokers", target.BootstrapServers, "--skip", "messages,groups");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Matches(@"orders\s+3\s+1\s+2\s+create", plan.Stdout);
        Assert.Contains("Dry run: 2 topic(s) would be created.", plan.Stdout, StringComparison.Ordinal);
        Assert.Equal("", planned.Stdout);
        Assert.True(execute.ExitCode == 0, execute.ToString());
        Assert.Contains("Created 2 of 2 topic(s), 0 failed.", execute.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"orders\s+3\s+1\s+2\s+exists", again.Stdout);
        using (var planDocument = JsonDocument.Parse(planJson.Stdout))
        {
            var orders = planDocument.RootElement.GetProperty("topics").EnumerateArray().Single(t => t.GetProperty("topic").GetString() == "orders");
            Assert.Equal("create", orders.GetProperty("action").GetString());
            Assert.Equal(3, orders.GetProperty("partitions").GetInt32());
            Assert.Equal("3600000", orders.GetProperty("configs").GetProperty("retention.ms").GetString());
            Assert.Equal(2, planDocument.RootElement.GetProperty("to_create").GetInt32());
        }
        Assert.True(againJson.ExitCode == 0, againJson.ToString());
        using (var againDocument = JsonDocument.Parse(againJson.Stdout))
        {
            Assert.All(againDocument.RootElement.GetProperty("topics").EnumerateArray(), t => Assert.Equal("exists", t.GetProperty("action").GetString()));
            Assert.Equal(0, againDocument.RootElement.GetProperty("failed").GetInt32());
        }
        // Replication was lowered on purpose: that is the only difference left.
        Assert.Equal(3, compare.ExitCode);
        Assert.Equal(["orders", "payments.v1"], compare.Stdout.Split('\n').Where(l => l.StartsWith("replication_factor", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]));
    }

    [Fact]
    public async Task Compare_two_live_clusters_and_two_files()
    {
        await using var source = await StartSourceAsync();
        using var dir = new TempDirectory();
        Assert.Equal(0, (await CliRun.RunAsync("-brokers", source.BootstrapServers, "-output", dir.File("a.json"))).ExitCode);
        Assert.Equal(0, (await CliRun.RunAsync("-brokers", source.BootstrapServers, "-output", dir.File("b.json"))).ExitCode);

        var files = await CliRun.RunAsync("compare", dir.File("a.json"), dir.File("b.json"));
        var live = await CliRun.RunAsync("compare", "--source-brokers", source.BootstrapServers, "--target-brokers", source.BootstrapServers, "--json");
        var usage = await CliRun.RunAsync("compare", dir.File("a.json"));
        var unknown = await CliRun.RunAsync("compare", dir.File("a.json"), dir.File("b.json"), "--skip", "everything");

        Assert.True(files.ExitCode == 0, files.ToString());
        Assert.True(live.ExitCode == 0, live.ToString());
        Assert.Contains("\"equal\": true", live.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, usage.ExitCode);
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task Topics_create_speaks_like_kafka_topics()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        var b = sandbox.BootstrapServers;

        var created = await CliRun.RunAsync("topics", "--bootstrap-server", b, "--create", "--topic", "t1", "--partitions", "4", "--config", "retention.ms=1000");
        var exists = await CliRun.RunAsync("topics", "--bootstrap-server", b, "--create", "--topic", "t1");
        var ifNotExists = await CliRun.RunAsync("topics", "--bootstrap-server", b, "--create", "--if-not-exists", "--topic", "t1");
        var badConfig = await CliRun.RunAsync("topics", "--bootstrap-server", b, "--create", "--topic", "t2", "--config", "nonsense");
        var report = await CliRun.RunAsync("report", "--bootstrap-server", b, "--json");

        Assert.Equal((0, "Created topic t1.\n"), (created.ExitCode, created.Stdout));
        Assert.Equal((1, "Error while executing topic command : Topic 't1' already exists.\n"), (exists.ExitCode, exists.Stdout));
        Assert.Equal((0, ""), (ifNotExists.ExitCode, ifNotExists.Stdout));
        Assert.Equal(2, badConfig.ExitCode);
        var t1 = ClusterMapJson.Deserialize(report.Stdout).Topics.Single(t => t.Name == "t1");
        Assert.Equal((4, "retention.ms", "1000"), (t1.Partitions.Count, t1.Configs.Single().Name, t1.Configs.Single().Value));
    }
}
