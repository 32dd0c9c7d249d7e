using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>
/// The Go tool's files, field for field (docs go-tool-formats: what its users' scripts read): kmap's files
/// answer the Go tool's jq queries as its own did, and kmap reads files written by the Go tool.
/// The expected answers come from the sandbox's setup and from Confluent.Kafka's admin client, not from kmap.
/// </summary>
public class GoToolFormatTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>orders: 3 partitions, RF 2, two configs set, 9 records; payments.v1: 2 partitions, RF 3, 2 records.</summary>
    private static async Task<SandboxCluster> StartAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "orders", NumPartitions = 3, ReplicationFactor = 2, Configs = new() { ["retention.ms"] = "3600000", ["cleanup.policy"] = "compact,delete" } },
            new TopicSpecification { Name = "payments.v1", NumPartitions = 2, ReplicationFactor = 3 },
        ]);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        for (var i = 0; i < 9; i++)
        {
            await producer.ProduceAsync(new TopicPartition("orders", i % 3), new Message<string, string> { Key = $"k{i}", Value = $"o{i}" }, Ct);
        }
        for (var i = 0; i < 2; i++)
        {
            await producer.ProduceAsync(new TopicPartition("payments.v1", i), new Message<string, string> { Key = $"p{i}", Value = $"p{i}" }, Ct);
        }
        // A group with committed offsets and no member left.
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("billing", [new TopicPartitionOffset("orders", 2, 1)])]);
        return sandbox;
    }

    private static async Task<string> JqAsync(string file, params string[] args)
    {
        var run = await ProcessRunner.RunAsync("jq", [.. args, file]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Stdout;
    }

    [Fact]
    public async Task The_cluster_json_and_topic_sizes_answer_the_go_tools_jq_queries()
    {
        await using var sandbox = await StartAsync();
        using var dir = new TempDirectory();
        var cluster = dir.File("kafka-cluster-info.json");
        var sizes = dir.File("sizes.json");
        using var member = new LiveMember(sandbox.BootstrapServers, "live", "payments.v1");
        await member.AssignedAsync();

        var run = await CliRun.RunAsync("-brokers", sandbox.BootstrapServers, "-output", cluster, "-topic-sizes-output", sizes);
        var report = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(report.ExitCode == 0, report.ToString());

        // The queries printed in the Go tool's docs, on kmap's cluster JSON.
        Assert.Equal("2\n", await JqAsync(cluster, ".total_topics"));
        Assert.Equal("5\n11\n3\n", await JqAsync(cluster, ".total_partitions, .total_messages, (.brokers | length)"));
        Assert.Equal("orders|3|9\npayments.v1|2|2\n", await JqAsync(cluster, "-r", ".topics[] | \"\\(.name)|\\(.partitions)|\\(.total_messages)\""));
        Assert.Equal("orders 3 2\npayments.v1 2 3\n", await JqAsync(cluster, "-r", ".topics[] | \"\\(.name) \\(.partitions) \\(.replication_factor)\""));
        Assert.Equal("orders\npayments.v1\n", await JqAsync(cluster, "-r", ".topics[].name"));

        // Every other field of the Go tool's file, against what the cluster is known to hold.
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(cluster, Ct));
        var root = doc.RootElement;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", root.GetProperty("timestamp").GetString());
        Assert.Equal(sandbox.BootstrapServers.Split(','), root.GetProperty("broker_addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(2, root.GetProperty("total_consumer_groups").GetInt32());
        Assert.Equal(0, root.GetProperty("total_under_replicated_partitions").GetInt32());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("total_messages").ValueKind);
        var expected = await BrokerCountsAsync(sandbox.BootstrapServers);
        var brokers = root.GetProperty("brokers").EnumerateArray().ToList();
        Assert.Equal(expected.Keys.Order(), brokers.Select(b => b.GetProperty("id").GetInt32()).Order());
        foreach (var b in brokers)
        {
            var id = b.GetProperty("id").GetInt32();
            Assert.Equal(JsonValueKind.String, b.GetProperty("version").ValueKind);
            Assert.Equal(expected[id], (b.GetProperty("address").GetString()!, b.GetProperty("partitions").GetInt32(), b.GetProperty("leaders").GetInt32(),
                b.GetProperty("under_replicated_partitions").GetInt32()));
        }
        Assert.Equal(12, brokers.Sum(b => b.GetProperty("partitions").GetInt32()));
        Assert.Equal(5, brokers.Sum(b => b.GetProperty("leaders").GetInt32()));
        var topics = root.GetProperty("topics").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(
            new Dictionary<string, string> { ["cleanup.policy"] = "compact,delete", ["retention.ms"] = "3600000" },
            topics["orders"].GetProperty("configs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.False(topics["payments.v1"].TryGetProperty("configs", out _), "no non-default config: no configs field, as the Go tool's omitempty");
        var groups = root.GetProperty("consumer_groups").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        Assert.Equal((1, "Stable", "payments.v1"), (groups["live"].GetProperty("members").GetInt32(), groups["live"].GetProperty("state").GetString(),
            string.Join(",", groups["live"].GetProperty("topics").EnumerateArray().Select(t => t.GetString()))));
        Assert.Equal((0, "Empty", 0), (groups["billing"].GetProperty("members").GetInt32(), groups["billing"].GetProperty("state").GetString(),
            groups["billing"].GetProperty("topics").GetArrayLength()));

        // kmap report --format json writes the same document.
        var reportFile = dir.File("report.json");
        await File.WriteAllTextAsync(reportFile, report.Stdout, Ct);
        Assert.Equal("5\n11\n3\n", await JqAsync(reportFile, ".total_partitions, .total_messages, (.brokers | length)"));
        Assert.Equal("orders|3|9\npayments.v1|2|2\n", await JqAsync(reportFile, "-r", ".topics[] | \"\\(.name)|\\(.partitions)|\\(.total_messages)\""));

        // Topic sizes: every replica counted, largest first, the Go tool's units.
        using var sizesDoc = JsonDocument.Parse(await File.ReadAllTextAsync(sizes, Ct));
        var sizeTopics = sizesDoc.RootElement.GetProperty("topics").EnumerateArray().ToList();
        Assert.Equal(["orders", "payments.v1"], sizeTopics.Select(t => t.GetProperty("topic").GetString()));
        var ordersBytes = sizeTopics[0].GetProperty("total_size_bytes").GetInt64();
        var paymentsBytes = sizeTopics[1].GetProperty("total_size_bytes").GetInt64();
        Assert.Equal(2 * sizeTopics[0].GetProperty("size_bytes").GetInt64(), ordersBytes);
        Assert.Equal(3 * sizeTopics[1].GetProperty("size_bytes").GetInt64(), paymentsBytes);
        Assert.True(ordersBytes > paymentsBytes && paymentsBytes > 0, $"{ordersBytes} {paymentsBytes}");
        Assert.Equal([3, 2], sizeTopics.Select(t => t.GetProperty("partitions").GetInt32()));
        var total = ordersBytes + paymentsBytes;
        var human = GoHuman(total);
        Assert.Equal([GoHuman(ordersBytes), GoHuman(paymentsBytes)], sizeTopics.Select(t => t.GetProperty("total_size_human").GetString()));

        // The queries printed in the Go tool's docs, on kmap's sizes file.
        Assert.Equal("", await JqAsync(sizes, ".topics[] | select(.total_size_bytes > 1099511627776)"));
        Assert.Equal($"\"{human}\"\n{total}\n", await JqAsync(sizes, ".total_size_human, .total_size_bytes"));
        Assert.Equal("[\"payments.v1\",\"orders\"]\n", await JqAsync(sizes, "-c", ".topics | sort_by(.total_size_bytes) | .[:10] | map(.topic)"));
        Assert.Equal(2, JsonDocument.Parse(await JqAsync(sizes, ".topics | sort_by(.total_size_bytes) | .[:10]")).RootElement.GetArrayLength());
        Assert.Equal("0\n", await JqAsync(sizes, "-r", ".total_size_bytes / 1073741824 | floor"));
        Assert.Equal($"kafka_topic_size_bytes{{topic=\"orders\"}} {ordersBytes}\nkafka_topic_size_bytes{{topic=\"payments.v1\"}} {paymentsBytes}\n",
            await JqAsync(sizes, "-r", ".topics[] | \"kafka_topic_size_bytes{topic=\\\"\\(.topic)\\\"} \\(.total_size_bytes)\""));
        Assert.Equal($"Topics: 2, Total: {human}\n", await JqAsync(sizes, "-r", "\"Topics: \\(.total_topics), Total: \\(.total_size_human)\""));
        Assert.Matches($@"^  Cluster: {System.Text.RegularExpressions.Regex.Escape(sandbox.BootstrapServers)}\n  Timestamp: \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n  Total: {System.Text.RegularExpressions.Regex.Escape(human)} \(2 topics\)\n$",
            await JqAsync(sizes, "-r", "\"  Cluster: \\(.cluster)\\n  Timestamp: \\(.timestamp)\\n  Total: \\(.total_size_human) (\\(.total_topics) topics)\""));
        Assert.Equal($"orders|{ordersBytes}\npayments.v1|{paymentsBytes}\n", await JqAsync(sizes, "-r", ".topics[] | \"\\(.topic)|\\(.total_size_bytes)\""));
        Assert.Equal("5\n", await JqAsync(sizes, ".total_partitions"));
    }

    [Fact]
    public async Task A_cluster_json_written_by_the_go_tool_is_compared_and_recreated_from()
    {
        await using var sandbox = await StartAsync();
        using var dir = new TempDirectory();
        var same = dir.File("go-same.json");
        var different = dir.File("go-different.json");
        await File.WriteAllTextAsync(same, GoClusterJson(ordersPartitions: 3, ordersMessages: 9), Ct);
        await File.WriteAllTextAsync(different, GoClusterJson(ordersPartitions: 4, ordersMessages: 8), Ct);
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);

        // The Go tool's file has no committed offsets: there is nothing of the groups to compare.
        var equal = await CliRun.RunAsync("compare", same, "--target-brokers", sandbox.BootstrapServers, "--skip", "groups");
        var differs = await CliRun.RunAsync("compare", different, "--target-brokers", sandbox.BootstrapServers, "--skip", "groups", "--json");
        var kmapFile = dir.File("kmap.json");
        var map = await CliRun.RunAsync("-brokers", sandbox.BootstrapServers, "-output", kmapFile);
        var files = await CliRun.RunAsync("compare", same, kmapFile, "--skip", "groups");
        var recreate = await CliRun.RunAsync("recreate-topics", "--from", same, "--brokers", target.BootstrapServers, "--execute");
        var recreated = await CliRun.RunAsync("compare", same, "--target-brokers", target.BootstrapServers, "--skip", "messages,groups");
        var previous = await CliRun.RunAsync("report", "--bootstrap-server", sandbox.BootstrapServers, "--json", "--previous", same);

        Assert.True(equal.ExitCode == 0, equal.ToString());
        Assert.Contains("The clusters are equal.", equal.Stdout, StringComparison.Ordinal);
        Assert.True(differs.ExitCode == 3, differs.ToString());
        using var json = JsonDocument.Parse(differs.Stdout);
        Assert.Equal(
            ["partitions orders 4 3", "messages orders 8 9"],
            json.RootElement.GetProperty("differences").EnumerateArray().Select(d =>
                $"{d.GetProperty("kind").GetString()} {d.GetProperty("subject").GetString()} {d.GetProperty("source").GetString()} {d.GetProperty("target").GetString()}"));
        Assert.True(map.ExitCode == 0, map.ToString());
        Assert.True(files.ExitCode == 0, files.ToString());
        Assert.True(recreate.ExitCode == 0, recreate.ToString());
        Assert.True(recreated.ExitCode == 0, recreated.ToString());
        // billing has lag 2 on the sandbox; the Go file has no offsets, so that must not read as growth.
        Assert.True(previous.ExitCode == 3, previous.ToString());
        Assert.Contains("is a cluster JSON of the Go tool, which has no committed offsets: no lag growth measured", previous.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\"lag_growth\": {", previous.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_written_by_the_go_tool_with_captured_at_is_restored()
    {
        await using var sandbox = await StartAsync();
        using var dir = new TempDirectory();
        var file = dir.File("go-offsets.json");
        // The Go tool's -save-offsets layout: the group's time named captured_at, partitions with timestamp and lag.
        await File.WriteAllTextAsync(file, """
            {
              "timestamp": "2026-01-20T16:30:04+01:00",
              "cluster": "kafka-1:9092",
              "consumer_groups": [
                {
                  "group": "reports",
                  "topics": {
                    "orders": [
                      { "partition": 0, "offset": 2, "timestamp": 1768923004000, "lag": 1 },
                      { "partition": 1, "offset": 3 }
                    ]
                  },
                  "captured_at": "2026-01-20T16:30:04+01:00"
                }
              ]
            }
            """, Ct);

        var plan = await CliRun.RunAsync("restore", "--brokers", sandbox.BootstrapServers, "--from", file, "--translate", "offset");
        var restore = await CliRun.RunAsync("restore", "--brokers", sandbox.BootstrapServers, "--from", file, "--translate", "offset", "--execute");
        var verify = await CliRun.RunAsync("verify", "--brokers", sandbox.BootstrapServers, "--from", file, "--translate", "offset");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Matches(@"reports +orders +0 +2 ", plan.Stdout);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        var committed = await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("reports", [new TopicPartition("orders", 0), new TopicPartition("orders", 1)])]);
        Assert.Equal([2L, 3L], committed.Single().Partitions.Select(p => p.Offset.Value));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    /// <summary>A file as the Go tool wrote it for the sandbox of StartAsync (its layout, its local-time timestamp, no kmap field).</summary>
    private static string GoClusterJson(int ordersPartitions, int ordersMessages) => $$"""
        {
          "timestamp": "2026-01-20T16:30:04+01:00",
          "broker_addresses": ["kafka-1:9092"],
          "brokers": [
            { "id": 1, "address": "kafka-1:9092", "version": "Kafka detected", "partitions": 4, "leaders": 2, "under_replicated_partitions": 0 }
          ],
          "topics": [
            { "name": "orders", "partitions": {{ordersPartitions}}, "replication_factor": 2, "total_messages": {{ordersMessages}},
              "configs": { "cleanup.policy": "compact,delete", "retention.ms": "3600000" } },
            { "name": "payments.v1", "partitions": 2, "replication_factor": 3, "total_messages": 2 }
          ],
          "consumer_groups": [
            { "name": "billing", "topics": null, "members": 0, "state": "Empty" }
          ],
          "total_topics": 2,
          "total_consumer_groups": 1,
          "total_partitions": 5,
          "total_messages": 11,
          "total_under_replicated_partitions": 0
        }
        """;

    /// <summary>The Go tool's formatBytes for the sizes a sandbox holds (no rounding tie at these sizes).</summary>
    private static string GoHuman(long bytes) => bytes < 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
        : bytes < 1024 * 1024
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.00} KiB")
            : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.00} MiB");

    /// <summary>Per broker: address, replicas hosted, partitions led, under-replicated partitions with a replica there, as Kafka's admin API reports them.</summary>
    private static async Task<Dictionary<int, (string Address, int Replicas, int Leaders, int UnderReplicated)>> BrokerCountsAsync(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var cluster = await admin.DescribeClusterAsync();
        var topics = await admin.DescribeTopicsAsync(TopicCollection.OfTopicNames(["orders", "payments.v1"]));
        var partitions = topics.TopicDescriptions.SelectMany(t => t.Partitions).ToList();
        return cluster.Nodes.ToDictionary(n => n.Id, n => (
            $"{n.Host}:{n.Port}",
            partitions.Count(p => p.Replicas.Any(r => r.Id == n.Id)),
            partitions.Count(p => p.Leader?.Id == n.Id),
            partitions.Count(p => p.ISR.Count < p.Replicas.Count && p.Replicas.Any(r => r.Id == n.Id))));
    }

    /// <summary>A consumer that joins a group and stays in it, assigned its topic, until disposed.</summary>
    private sealed class LiveMember : IDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        private readonly TaskCompletionSource _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _loop;

        public LiveMember(string bootstrap, string group, string topic)
        {
            _loop = Task.Run(() =>
            {
                using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
                {
                    BootstrapServers = bootstrap,
                    GroupId = group,
                    AutoOffsetReset = AutoOffsetReset.Earliest,
                    EnableAutoCommit = false,
                }).Build();
                consumer.Subscribe(topic);
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        consumer.Consume(TimeSpan.FromMilliseconds(100));
                        if (consumer.Assignment.Count > 0)
                        {
                            _assigned.TrySetResult();
                        }
                    }
                }
                finally
                {
                    consumer.Close();
                }
            });
        }

        public Task AssignedAsync() => _assigned.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        public void Dispose()
        {
            _stop.Cancel();
            _loop.GetAwaiter().GetResult();
            _stop.Dispose();
        }
    }
}
