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

        var result = await ProcessRunner.RunAsync("jq", ["-r", ".topics[] | select(.is_internal | not) | \"\\(.name) \\(.partitions | length) \\(.message_count)\"", file]);
        var lag = await ProcessRunner.RunAsync("jq", ["-r", ".consumer_groups[] | select(.total_lag > 0) | .state", file]);

        Assert.Equal("orders 2 150\npayments.v1 1 0\n", result.Stdout);
        Assert.Equal("Empty\n", lag.Stdout);
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
