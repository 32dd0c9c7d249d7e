using System.Text.Json;
using Kmap.Core.Backup;
using Kmap.Core.Model;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Backup;

public class OffsetBackupJsonTests
{
    private static readonly string[] Additions = ["format_version", "cluster_id", "state", "members", "leader_epoch", "metadata", "log_start_offset", "log_end_offset", "lag", "partition_counts"];

    [Fact]
    public async Task Without_kmaps_additions_the_file_is_exactly_the_guides_example()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("ours.json"), Samples.GuideBackupJson(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("guide.json"), Samples.GuideJson, TestContext.Current.CancellationToken);
        var strip = "walk(if type == \"object\" then del(" + string.Join(", ", Additions.Select(a => "." + a)) + ") else . end)";

        var ours = await ProcessRunner.RunAsync("jq", ["-S", strip, dir.File("ours.json")]);
        var guide = await ProcessRunner.RunAsync("jq", ["-S", ".", dir.File("guide.json")]);

        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(guide.Stdout, ours.Stdout);
    }

    [Fact]
    public void Reads_the_group_time_under_either_name_the_go_tool_used()
    {
        static string File(string groupTime) => $$"""
            { "timestamp": "2026-01-20T15:30:04Z", "cluster": "k:9092", "consumer_groups": [
              { "group": "g", "topics": { "t": [ { "partition": 0, "offset": 5, "timestamp": 1768923004000, "lag": 2 } ] }{{groupTime}} } ] }
            """;

        var captured = OffsetBackupJson.Deserialize(File(", \"captured_at\": \"2026-01-20T16:00:00+01:00\""));
        var guide = OffsetBackupJson.Deserialize(File(", \"timestamp\": \"2026-01-20T15:10:00Z\""));
        var neither = OffsetBackupJson.Deserialize(File(""));

        Assert.Equal(new DateTimeOffset(2026, 1, 20, 15, 0, 0, TimeSpan.Zero), captured.ConsumerGroups[0].Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 15, 10, 0, TimeSpan.Zero), guide.ConsumerGroups[0].Timestamp);
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero), neither.ConsumerGroups[0].Timestamp);
        Assert.Equal(5, captured.ConsumerGroups[0].Offsets.Single().Offset);
    }

    [Fact]
    public void Timestamps_are_RFC3339_UTC_whole_seconds_and_keys_come_in_the_guides_order()
    {
        var backup = Samples.GuideBackup() with { Timestamp = new DateTimeOffset(2026, 1, 20, 16, 30, 4, 987, TimeSpan.FromHours(1)) };
        var json = OffsetBackupJson.Serialize(backup);
        using var doc = JsonDocument.Parse(json);

        Assert.Equal("2026-01-20T15:30:04Z", doc.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal(["timestamp", "cluster", "format_version", "cluster_id", "partition_counts", "consumer_groups"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        var group = doc.RootElement.GetProperty("consumer_groups")[0];
        Assert.Equal(["group", "state", "topics", "timestamp"], group.EnumerateObject().Select(p => p.Name));
        var orders = group.GetProperty("topics").GetProperty("orders");
        Assert.Equal([0, 1], orders.EnumerateArray().Select(p => p.GetProperty("partition").GetInt32()));
        Assert.Equal(0, orders[0].GetProperty("lag").GetInt64());
        Assert.Equal(2110, orders[1].GetProperty("lag").GetInt64());
    }

    [Fact]
    public void Groups_are_sorted_by_name_and_hostile_names_survive_a_round_trip()
    {
        string[] names = ["zeta", "$(rm -rf ~)", "quote'\"s", "new\nline", "ünïcødé-グループ", "tab\there", "back\\slash", "Alpha"];
        var backup = new OffsetBackup(Samples.GuideTime, "c:9092",
            names.Select(n => new GroupOffsets(n, [new BackedUpOffset("t", 0, 1)], Samples.GuideTime)).ToList());

        var read = OffsetBackupJson.Deserialize(OffsetBackupJson.Serialize(backup));

        Assert.Equal(names.Order(StringComparer.Ordinal), read.ConsumerGroups.Select(g => g.Group));
    }

    [Fact]
    public void The_Go_tools_file_is_read_and_a_round_trip_keeps_everything()
    {
        var go = OffsetBackupJson.Deserialize(Samples.GuideJson);
        Assert.Equal(Samples.GuideTime, go.Timestamp);
        Assert.Equal(3, go.ConsumerGroups.Single().Offsets.Count);

        var original = Samples.GuideBackup();
        var again = OffsetBackupJson.Deserialize(OffsetBackupJson.Serialize(original));
        Assert.Equal(original.ClusterId, again.ClusterId);
        Assert.Equal(original.PartitionCounts, again.PartitionCounts);
        Assert.Empty(go.PartitionCounts);
        Assert.Equal(original.ConsumerGroups[0].Offsets.OrderBy(o => o.TopicPartition), again.ConsumerGroups[0].Offsets);
    }

    [Fact]
    public async Task Written_files_are_complete_or_absent_and_the_directory_holds_nothing_else()
    {
        using var dir = new TempDirectory();
        var path = dir.File("offsets.json");
        File.WriteAllText(path, "old");

        await Kmap.Core.Config.AtomicFile.WriteAllTextAsync(path, "new content", null, TestContext.Current.CancellationToken);

        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_groups_type_is_written_and_read_back_and_a_file_without_it_means_classic()
    {
        var backup = new OffsetBackup(Samples.GuideTime, "c:9092",
        [
            new GroupOffsets("a", [new BackedUpOffset("t", 0, 1)], Samples.GuideTime) { Type = GroupType.Share },
            new GroupOffsets("b", [new BackedUpOffset("t", 0, 2)], Samples.GuideTime) { Type = GroupType.Streams },
            new GroupOffsets("c", [new BackedUpOffset("t", 0, 3)], Samples.GuideTime),
        ]);

        var json = OffsetBackupJson.Serialize(backup);
        var read = OffsetBackupJson.Deserialize(json);

        Assert.Contains("\"type\": \"share\"", json, StringComparison.Ordinal);
        Assert.Equal([GroupType.Share, GroupType.Streams, null], read.ConsumerGroups.Select(g => g.Type));
        Assert.True(read.ConsumerGroups[0].IsShare);
        Assert.False(read.ConsumerGroups[2].IsShare);
        Assert.Equal(GroupType.Classic, GroupType.OrClassic(read.ConsumerGroups[2].Type));
    }

    [Fact]
    public void An_unknown_group_type_is_refused_naming_the_group()
    {
        var json = OffsetBackupJson.Serialize(new OffsetBackup(Samples.GuideTime, "c:9092",
            [new GroupOffsets("g1", [new BackedUpOffset("t", 0, 1)], Samples.GuideTime) { Type = GroupType.Share }]))
            .Replace("\"share\"", "\"queue\"", StringComparison.Ordinal);

        var e = Assert.ThrowsAny<Exception>(() => OffsetBackupJson.Deserialize(json));

        Assert.Contains("group 'g1' has type 'queue'", e.Message, StringComparison.Ordinal);
    }
}
