using Kmap.Core.ClusterMap;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.ClusterMap;

public class ClusterMapJsonTests
{
    [Fact]
    public void Round_trips_every_field_and_writes_the_derived_counts()
    {
        var map = SampleMaps.Small();

        var json = ClusterMapJson.Serialize(map);
        var back = ClusterMapJson.Deserialize(json);

        Assert.Equal(ClusterMapJson.Serialize(back), json);
        Assert.Equal(map.Topics.Select(t => (t.Name, t.Partitions.Count, t.ReplicationFactor, t.MessageCount)),
            back.Topics.Select(t => (t.Name, t.Partitions.Count, t.ReplicationFactor, t.MessageCount)));
        Assert.Equal(SampleMaps.HostileGroup, back.ConsumerGroups[0].Group);
        Assert.Contains("\"message_count\": 150", json, StringComparison.Ordinal);
        Assert.Contains("\"under_replicated_partitions\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"offline_partitions\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"source\": \"DYNAMIC_TOPIC_CONFIG\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lag\": 10", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jq_reads_the_fields_the_docs_query()
    {
        using var dir = new TempDirectory();
        var file = dir.File("cluster.json");
        await File.WriteAllTextAsync(file, ClusterMapJson.Serialize(SampleMaps.Small()), TestContext.Current.CancellationToken);

        var result = await ProcessRunner.RunAsync("jq", ["-r", ".topics[] | select(.is_internal | not) | \"\\(.name) \\(.partitions) \\(.message_count)\"", file]);
        var lag = await ProcessRunner.RunAsync("jq", ["-r", ".consumer_groups[] | select(.total_lag > 0) | .state", file]);

        Assert.Equal("orders 2 150\npayments.v1 1 0\n", result.Stdout);
        Assert.Equal("Empty\n", lag.Stdout);
    }

    [Fact]
    public async Task Writes_the_go_tools_fields_with_its_meanings()
    {
        using var dir = new TempDirectory();
        var file = dir.File("kafka-cluster-info.json");
        await File.WriteAllTextAsync(file, ClusterMapJson.Serialize(SampleMaps.Small()), TestContext.Current.CancellationToken);
        async Task<string> Jq(string query) => (await ProcessRunner.RunAsync("jq", ["-c", query, file])).Stdout;

        Assert.Equal("\"2026-01-20T15:30:04Z\"\n[\"kafka-1.example:9092\"]\n", await Jq(".timestamp, .broker_addresses"));
        // orders-1 (replicas 2,1; ISR 2) and payments.v1-0 (replica 2, no ISR) are under-replicated: 3 topics, 4 partitions, 153 messages.
        Assert.Equal("3\n2\n4\n153\n2\n", await Jq(".total_topics, .total_consumer_groups, .total_partitions, .total_messages, .total_under_replicated_partitions"));
        // A broker counts every under-replicated partition it has a replica of (the Go tool's meaning); under_replicated_leaders only those it leads.
        Assert.Equal(
            "{\"id\":1,\"address\":\"kafka-1.example:9092\",\"version\":\"Unknown\",\"partitions\":3,\"leaders\":2,\"under_replicated_partitions\":1,\"under_replicated_leaders\":0}\n" +
            "{\"id\":2,\"address\":\"kafka-2.example:9092\",\"version\":\"Unknown\",\"partitions\":3,\"leaders\":1,\"under_replicated_partitions\":2,\"under_replicated_leaders\":1}\n",
            await Jq(".brokers[] | {id, address, version, partitions, leaders, under_replicated_partitions, under_replicated_leaders}"));
        // configs: name -> value of the non-default configs, secrets (no value) left out, no field when there is none.
        Assert.Equal(
            "{\"name\":\"orders\",\"partitions\":2,\"replication_factor\":2,\"total_messages\":150,\"configs\":[\"cleanup.policy\",\"min.insync.replicas\",\"retention.ms\"],\"details\":[2,4]}\n" +
            "{\"name\":\"payments.v1\",\"partitions\":1,\"replication_factor\":1,\"total_messages\":0,\"configs\":null,\"details\":[1,0]}\n" +
            "{\"name\":\"__consumer_offsets\",\"partitions\":1,\"replication_factor\":1,\"total_messages\":3,\"configs\":null,\"details\":[1,0]}\n",
            await Jq(".topics[] | {name, partitions, replication_factor, total_messages, configs: (.configs | if . then keys else null end), details: [(.partition_details | length), (.config_details | length)]}"));
        Assert.Equal("false\n", await Jq(".topics[1] | has(\"configs\")"));
        Assert.Equal("{\"members\":0,\"topics\":[],\"state\":\"Empty\"}\n{\"members\":1,\"topics\":[\"orders\"],\"state\":\"Stable\"}\n",
            await Jq(".consumer_groups[] | {members, topics, state}"));
        Assert.Equal("[true,true]\n", await Jq("[.consumer_groups[] | .name == .group]"));
    }

    [Fact]
    public void Reads_a_cluster_json_written_by_the_go_tool()
    {
        const string Go = """
            {
              "timestamp": "2026-01-20T16:30:04+01:00",
              "broker_addresses": ["kafka-1:9092", "kafka-2:9092"],
              "brokers": [
                { "id": 1, "address": "kafka-1:9092", "version": "Kafka detected", "partitions": 3, "leaders": 2, "under_replicated_partitions": 1 },
                { "id": 2, "address": "kafka-2:9092", "version": "Unknown", "partitions": 2, "leaders": 1, "under_replicated_partitions": 1 }
              ],
              "topics": [
                { "name": "orders", "partitions": 3, "replication_factor": 2, "total_messages": 9, "configs": { "retention.ms": "3600000" } },
                { "name": "__consumer_offsets", "partitions": 50, "replication_factor": 1, "total_messages": 4 }
              ],
              "consumer_groups": [
                { "name": "live", "topics": ["orders"], "members": 2, "state": "Stable" },
                { "name": "old", "topics": null, "members": 0, "state": "Empty" }
              ],
              "total_topics": 2, "total_consumer_groups": 2, "total_partitions": 53, "total_messages": 13, "total_under_replicated_partitions": 1
            }
            """;

        var map = ClusterMapJson.Deserialize(Go);

        Assert.Equal(new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero), map.Timestamp);
        Assert.Equal("kafka-1:9092,kafka-2:9092", map.Cluster);
        Assert.Equal([("kafka-1", 9092, 3, 2, "Kafka detected"), ("kafka-2", 9092, 2, 1, "Unknown")],
            map.Brokers.Select(b => (b.Host, b.Port, b.PartitionCount, b.LeaderCount, b.Version)));
        var orders = map.Topics[0];
        Assert.Equal((3, 2, 9L, false), (orders.PartitionCount, orders.ReplicationFactor, orders.MessageCount, orders.IsInternal));
        Assert.Equal([("retention.ms", "3600000", true)], orders.Configs.Select(c => (c.Name, c.Value, c.IsTopicOverride)));
        Assert.True(map.Topics[1].IsInternal);
        Assert.Equal((53, 13L), (map.Totals.Partitions, map.Totals.Messages));
        Assert.Equal([("live", 2, "orders"), ("old", 0, "")], map.ConsumerGroups.Select(g => (g.Group, g.MemberCount, string.Join(",", g.Topics))));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"format_version\": 9, \"brokers\": [], \"topics\": [], \"consumer_groups\": []}")]
    [InlineData("not json")]
    public void Refuses_what_is_not_a_cluster_json(string text)
    {
        Assert.Throws<FormatException>(() => ClusterMapJson.Deserialize(text));
    }
}
