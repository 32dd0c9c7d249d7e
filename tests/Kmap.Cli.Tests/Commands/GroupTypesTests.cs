using System.Text.Json;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using SandboxGroupType = Kmap.Sandbox.Groups.GroupType;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// Issue 16, item 4: Kafka 4's four group types (classic, consumer KIP-848, streams KIP-1071, share KIP-932) are
/// listed with their type, described with their own request (never "Dead" for a live group), backed up (share
/// groups' start offsets with DescribeShareGroupOffsets) and restored with the request each needs (share groups
/// with AlterShareGroupOffsets), and non-empty groups of every type are refused.
/// </summary>
public class GroupTypesTests
{
    private static readonly DateTimeOffset TwoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);

    private static async Task<SandboxCluster> StartWithOrdersAsync(string id)
    {
        // Streams groups are early access in Kafka 4.1: its brokers describe them only with unstable API versions on.
        var cluster = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = $"{id}-{Guid.NewGuid():N}", UnstableApiVersions = true }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        return cluster;
    }

    /// <summary>One group of each type on "orders" partition 0: classic at 6, consumer at 5, streams at 4, share at 3.</summary>
    private static async Task SeedFourGroupsAsync(SandboxCluster cluster)
    {
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "classic-g", ("orders", 0, 6));
        cluster.State.Groups.CreateGroup("consumer-g", SandboxGroupType.Consumer);
        cluster.State.Groups.SeedOffset("consumer-g", "orders", 0, 5);
        cluster.CreateStreamsGroup("streams-g", new Dictionary<(string, int), long> { [("orders", 0)] = 4 });
        cluster.CreateShareGroup("share-g", new Dictionary<(string, int), long> { [("orders", 0)] = 3 });
    }

    private static Dictionary<string, (string? Type, long Offset)> GroupsOf(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        return json.RootElement.GetProperty("consumer_groups").EnumerateArray().ToDictionary(
            g => g.GetProperty("group").GetString()!,
            g => (g.TryGetProperty("type", out var t) ? t.GetString() : null, g.GetProperty("topics").GetProperty("orders")[0].GetProperty("offset").GetInt64()));
    }

    [Fact]
    public async Task Backup_keeps_one_group_of_each_type_with_its_type_and_offsets()
    {
        await using var cluster = await StartWithOrdersAsync("source");
        await SeedFourGroupsAsync(cluster);
        using var dir = new TempDirectory();
        var file = dir.File("b.json");

        var backup = await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        var groups = GroupsOf(file);
        Assert.Equal(("classic", 6L), groups["classic-g"]);
        Assert.Equal(("consumer", 5L), groups["consumer-g"]);
        Assert.Equal(("streams", 4L), groups["streams-g"]);
        Assert.Equal(("share", 3L), groups["share-g"]);
    }

    [Fact]
    public async Task Restore_into_a_fresh_cluster_writes_every_type_and_verify_reads_them_back()
    {
        await using var source = await StartWithOrdersAsync("source");
        await using var target = await StartWithOrdersAsync("target");
        await SeedFourGroupsAsync(source);
        // Kafka's AlterShareGroupOffsets sets the start offsets of an existing share group only (GROUP_ID_NOT_FOUND otherwise).
        target.CreateShareGroup("share-g");
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        var backup = await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);

        var execute = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset", "--execute");
        var verify = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", file);
        var copy = dir.File("copy.json");
        var again = await CliRun.RunAsync("backup", "--brokers", target.BootstrapServers, "-o", copy);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.True(execute.ExitCode == 0, execute.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        var restored = GroupsOf(copy);
        Assert.Equal(6L, restored["classic-g"].Offset);
        Assert.Equal(5L, restored["consumer-g"].Offset);
        Assert.Equal(4L, restored["streams-g"].Offset);
        Assert.Equal(("share", 3L), restored["share-g"]);
    }

    [Fact]
    public async Task Restore_refuses_a_share_group_missing_on_the_target_naming_it()
    {
        await using var source = await StartWithOrdersAsync("source");
        await using var target = await StartWithOrdersAsync("target");
        source.CreateShareGroup("share-g", new Dictionary<(string, int), long> { [("orders", 0)] = 3 });
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);

        var execute = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset", "--execute");

        Assert.NotEqual(0, execute.ExitCode);
        Assert.Contains("share group 'share-g' does not exist on the target", execute.Stdout + execute.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_refuses_non_empty_share_and_consumer_groups_naming_them()
    {
        await using var source = await StartWithOrdersAsync("source");
        await using var target = await StartWithOrdersAsync("target");
        await SeedFourGroupsAsync(source);
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        target.CreateShareGroup("share-g");
        target.AddGroupMember("share-g", ["orders"]);
        target.State.Groups.CreateGroup("consumer-g", SandboxGroupType.Consumer);
        target.AddGroupMember("consumer-g", ["orders"]);

        var execute = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset", "--execute");

        var output = execute.Stdout + execute.Stderr;
        Assert.NotEqual(0, execute.ExitCode);
        Assert.Contains("share group 'share-g' is active on the target", output, StringComparison.Ordinal);
        Assert.Contains("consumer group 'consumer-g' is active on the target", output, StringComparison.Ordinal);
        Assert.Contains("stop its consumers", output, StringComparison.Ordinal);
        // The empty groups of the other types were written.
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 6 }, await KafkaPython.CommittedAsync(target.BootstrapServers, "classic-g", "orders:0"));
    }

    [Fact]
    public async Task A_streams_group_on_a_broker_without_StreamsGroupDescribe_is_backed_up_and_listed_never_Dead()
    {
        // A default Kafka 4.1 broker: streams groups are early access, StreamsGroupDescribe is not advertised.
        await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        cluster.CreateStreamsGroup("streams-g", new Dictionary<(string, int), long> { [("orders", 0)] = 4 });
        cluster.AddGroupMember("streams-g", ["orders"], "streams-client");
        using var dir = new TempDirectory();
        var file = dir.File("b.json");

        var backup = await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);
        var list = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--list", "--type", "--state");
        var state = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--describe", "--all-groups", "--state");

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Equal(("streams", 4L), GroupsOf(file)["streams-g"]);
        // The type and state ListGroups v5 gives.
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"streams-g\s+Streams\s+Stable", list.Stdout);
        // Describing it says why it cannot, never a made-up Dead.
        Assert.DoesNotContain("Dead", state.Stdout + state.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot describe streams group 'streams-g' with StreamsGroupDescribe", state.Stdout + state.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_and_describe_show_each_groups_type_state_and_members()
    {
        await using var cluster = await StartWithOrdersAsync("cluster");
        await SeedFourGroupsAsync(cluster);
        cluster.AddGroupMember("share-g", ["orders"], "share-client");
        cluster.AddGroupMember("streams-g", ["orders"], "streams-client");
        cluster.AddGroupMember("consumer-g", ["orders"], "consumer-client");

        var list = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--list", "--type", "--state");
        var onlyShare = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--list", "--type", "share");
        var state = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--describe", "--all-groups", "--state");
        var members = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--describe", "--group", "share-g", "--group", "consumer-g", "--group", "streams-g", "--members", "--verbose");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"classic-g\s+Classic\s+Empty", list.Stdout);
        Assert.Matches(@"consumer-g\s+Consumer\s+Stable", list.Stdout);
        Assert.Matches(@"streams-g\s+Streams\s+Stable", list.Stdout);
        Assert.Matches(@"share-g\s+Share\s+Stable", list.Stdout);
        Assert.True(onlyShare.ExitCode == 0, onlyShare.ToString());
        Assert.Contains("share-g", onlyShare.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("classic-g", onlyShare.Stdout, StringComparison.Ordinal);
        Assert.True(state.ExitCode == 0, state.ToString());
        Assert.DoesNotContain("Dead", state.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"share-g\s.*Stable\s+1\s+Share", state.Stdout);
        Assert.Matches(@"streams-g\s.*Stable\s+1\s+Streams", state.Stdout);
        Assert.True(members.ExitCode == 0, members.ToString());
        // Each member with its assigned partitions, decoded from ShareGroupDescribe and ConsumerGroupDescribe.
        Assert.Matches(@"share-g\s.*share-client\s+3\s+orders\(0,1,2\)", members.Stdout);
        Assert.Matches(@"consumer-g\s.*consumer-client\s+3\s+orders\(0,1,2\)", members.Stdout);
        // A streams member's active tasks, as the partitions of its subtopology's source topics (StreamsGroupDescribe).
        Assert.Matches(@"streams-g\s.*streams-client\s+3\s+orders\(0,1,2\)", members.Stdout);
    }

    [Fact]
    public async Task The_cluster_map_has_a_type_state_and_members_per_group()
    {
        await using var cluster = await StartWithOrdersAsync("cluster");
        await SeedFourGroupsAsync(cluster);
        cluster.AddGroupMember("share-g", ["orders"], "share-client");
        using var dir = new TempDirectory();
        var file = dir.File("map.json");

        var map = await CliRun.RunAsync("-brokers", cluster.BootstrapServers, "-output", file);

        Assert.True(map.ExitCode == 0, map.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var groups = json.RootElement.GetProperty("consumer_groups").EnumerateArray().ToDictionary(g => g.GetProperty("group").GetString()!);
        Assert.Equal("classic", groups["classic-g"].GetProperty("type").GetString());
        Assert.Equal("consumer", groups["consumer-g"].GetProperty("type").GetString());
        Assert.Equal("streams", groups["streams-g"].GetProperty("type").GetString());
        var share = groups["share-g"];
        Assert.Equal("share", share.GetProperty("type").GetString());
        Assert.Equal("Stable", share.GetProperty("state").GetString());
        Assert.Equal(1, share.GetProperty("members").GetInt32());
        Assert.Equal(3, share.GetProperty("offsets")[0].GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task A_backup_file_without_types_restores_as_classic_groups()
    {
        await using var source = await StartWithOrdersAsync("source");
        await using var target = await StartWithOrdersAsync("target");
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 6));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        var text = File.ReadAllText(file);
        Assert.Contains("\"type\": \"classic\"", text, StringComparison.Ordinal);
        File.WriteAllText(file, text.Replace("\"type\": \"classic\",", "", StringComparison.Ordinal));

        var execute = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset", "--execute");
        var verify = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", file);

        Assert.DoesNotContain("\"type\"", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.True(execute.ExitCode == 0, execute.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 6 }, await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0"));
    }

    [Fact]
    public async Task Describe_without_a_listing_tries_each_types_request_and_never_says_Dead()
    {
        await using var cluster = await StartWithOrdersAsync("cluster");
        await SeedFourGroupsAsync(cluster);
        cluster.AddGroupMember("share-g", ["orders"], "share-client");
        // ListGroups fails until the deadline: the types are not known, so each type's describe request is tried in turn.
        cluster.Faults.Apply(FaultSpec.Parse("error=1:COORDINATOR_NOT_AVAILABLE@ListGroups"));

        var state = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--timeout", "3000",
            "--describe", "--group", "share-g", "--group", "classic-g", "--state");

        Assert.True(state.ExitCode == 0, state.ToString());
        Assert.Matches(@"share-g\s.*Stable\s+1\s+Share", state.Stdout);
        Assert.Matches(@"classic-g\s.*Empty\s+0\s+Classic", state.Stdout);
    }
}
