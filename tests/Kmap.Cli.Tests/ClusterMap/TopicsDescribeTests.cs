using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>`kmap topics --list/--describe` in kafka-topics.sh's text, parsed as scripts parse it, and as JSON; `topic-sizes --format json`.</summary>
public partial class TopicsDescribeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^Topic: (?<topic>\S+)\tPartitionCount: (?<count>\d+)\tReplicationFactor: (?<rf>\d+)\tConfigs: (?<configs>.*)$")]
    private static partial Regex TopicLine();

    [GeneratedRegex(@"^\tTopic: (?<topic>\S+)\tPartition: (?<partition>\d+)\tLeader: (?<leader>\d+|none)\tReplicas: (?<replicas>[\d,]*)\tIsr: (?<isr>[\d,]*)\tElr: N/A\tLastKnownElr: N/A$")]
    private static partial Regex PartitionLine();

    private static async Task<(SandboxCluster Sandbox, Metadata Metadata)> StartAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "orders", NumPartitions = 3, ReplicationFactor = 2, Configs = new() { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact" } },
            new TopicSpecification { Name = "payments.v1", NumPartitions = 2, ReplicationFactor = 3 },
        ]);
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("billing", [new TopicPartitionOffset("orders", 0, 0)])]);
        return (sandbox, admin.GetMetadata(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Describe_prints_what_kafka_topics_prints_and_a_script_parsing_it_reads_the_cluster_layout()
    {
        var (sandbox, metadata) = await StartAsync();
        await using var _ = sandbox;

        var run = await CliRun.RunAsync("topics", "--bootstrap-server", sandbox.BootstrapServers, "--describe", "--exclude-internal");

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Select(l => TopicLine().Match(l)).Where(m => m.Success).ToList();
        var partitions = lines.Select(l => PartitionLine().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(lines.Length, headers.Count + partitions.Count);
        Assert.Equal(["orders", "payments.v1"], headers.Select(h => h.Groups["topic"].Value));
        Assert.Equal(("3", "2", "cleanup.policy=compact,retention.ms=3600000"), (headers[0].Groups["count"].Value, headers[0].Groups["rf"].Value, headers[0].Groups["configs"].Value));
        Assert.Equal(("2", "3", ""), (headers[1].Groups["count"].Value, headers[1].Groups["rf"].Value, headers[1].Groups["configs"].Value));
        var expected = metadata.Topics.Where(t => !t.Topic.StartsWith("__", StringComparison.Ordinal)).OrderBy(t => t.Topic, StringComparer.Ordinal)
            .SelectMany(t => t.Partitions.OrderBy(p => p.PartitionId).Select(p => $"{t.Topic} {p.PartitionId} {p.Leader} {string.Join(",", p.Replicas)} {string.Join(",", p.InSyncReplicas)}"));
        Assert.Equal(expected, partitions.Select(p => $"{p.Groups["topic"]} {p.Groups["partition"]} {p.Groups["leader"]} {p.Groups["replicas"]} {p.Groups["isr"]}"));
    }

    [Fact]
    public async Task Topic_is_a_whole_name_regular_expression_and_a_missing_topic_is_kafkas_error()
    {
        var (sandbox, _) = await StartAsync();
        await using var __ = sandbox;
        string[] common = ["topics", "--bootstrap-server", sandbox.BootstrapServers];

        var one = await CliRun.RunAsync([.. common, "--describe", "--topic", "orders"]);
        var pattern = await CliRun.RunAsync([.. common, "--list", "--topic", @"payments\..*|ord.rs"]);
        var prefixOnly = await CliRun.RunAsync([.. common, "--list", "--topic", "ord"]);
        var missing = await CliRun.RunAsync([.. common, "--describe", "--topic", "nope"]);
        var ifExists = await CliRun.RunAsync([.. common, "--describe", "--topic", "nope", "--if-exists"]);
        var twoActions = await CliRun.RunAsync([.. common, "--list", "--describe"]);
        var badRegex = await CliRun.RunAsync([.. common, "--list", "--topic", "("]);

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(4, one.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("Topic: orders\t", one.Stdout, StringComparison.Ordinal);
        Assert.Equal((0, "orders\npayments.v1\n"), (pattern.ExitCode, pattern.Stdout));
        Assert.Equal((0, ""), (prefixOnly.ExitCode, prefixOnly.Stdout));
        Assert.Equal((1, "Error while executing topic command : Topic 'nope' does not exist as expected\n"), (missing.ExitCode, missing.Stdout));
        Assert.Equal((0, ""), (ifExists.ExitCode, ifExists.Stdout));
        Assert.Equal(2, twoActions.ExitCode);
        Assert.Contains("exactly one action: --list, --describe, --create", twoActions.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badRegex.ExitCode);
    }

    [Fact]
    public async Task Format_json_on_topics_list_describe_and_topic_sizes_parses_and_matches_the_cluster()
    {
        var (sandbox, metadata) = await StartAsync();
        await using var _ = sandbox;
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            for (var i = 0; i < 6; i++)
            {
                await producer.ProduceAsync(new TopicPartition("orders", i % 3), new Message<Null, string> { Value = $"o{i}" }, Ct);
            }
        }

        var list = await CliRun.RunAsync("topics", "--bootstrap-server", sandbox.BootstrapServers, "--list", "--format", "json");
        var describe = await CliRun.RunAsync("topics", "--bootstrap-server", sandbox.BootstrapServers, "--describe", "--topic", "orders", "--format", "json");
        var sizes = await CliRun.RunAsync("topic-sizes", "--bootstrap-server", sandbox.BootstrapServers, "--format", "json");
        var badFormat = await CliRun.RunAsync("topic-sizes", "--bootstrap-server", sandbox.BootstrapServers, "--format", "yaml");

        Assert.True(list.ExitCode == 0, list.ToString());
        using (var json = JsonDocument.Parse(list.Stdout))
        {
            Assert.Equal(metadata.Topics.Select(t => t.Topic).Order(StringComparer.Ordinal), json.RootElement.GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        }
        Assert.True(describe.ExitCode == 0, describe.ToString());
        using (var json = JsonDocument.Parse(describe.Stdout))
        {
            var orders = Assert.Single(json.RootElement.GetProperty("topics").EnumerateArray());
            Assert.Equal(("orders", 3, 2), (orders.GetProperty("name").GetString(), orders.GetProperty("partition_count").GetInt32(), orders.GetProperty("replication_factor").GetInt32()));
            Assert.Equal(["cleanup.policy=compact", "retention.ms=3600000"], orders.GetProperty("configs").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}={c.GetProperty("value").GetString()}"));
            var expected = metadata.Topics.Single(t => t.Topic == "orders").Partitions.OrderBy(p => p.PartitionId).Select(p => $"{p.PartitionId} {p.Leader} {string.Join(",", p.Replicas)}");
            Assert.Equal(expected, orders.GetProperty("partitions").EnumerateArray().Select(p =>
                $"{p.GetProperty("partition").GetInt32()} {p.GetProperty("leader").GetInt32()} {string.Join(",", p.GetProperty("replicas").EnumerateArray().Select(r => r.GetInt32()))}"));
        }
        Assert.True(sizes.ExitCode == 0, sizes.ToString());
        using (var json = JsonDocument.Parse(sizes.Stdout))
        {
            var first = json.RootElement.GetProperty("topics")[0];
            Assert.Equal(("orders", 6L), (first.GetProperty("topic").GetString(), first.GetProperty("message_count").GetInt64()));
            Assert.Equal(2 * first.GetProperty("size_bytes").GetInt64(), first.GetProperty("replica_bytes").GetInt64());
        }
        Assert.Equal(2, badFormat.ExitCode);
    }
}
