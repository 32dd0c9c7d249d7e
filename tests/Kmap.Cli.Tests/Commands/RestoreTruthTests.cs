using System.Text.Json;
using System.Text.RegularExpressions;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// Issue 17, items 1 and 2: `kmap restore` never guesses on its own where the record times say nothing, and every
/// summary line says what happened (refused groups, read-backs, rollback hints, rows not written, empty filters).
/// </summary>
public class RestoreTruthTests
{
    private static readonly DateTimeOffset TwoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);

    private static Task<SandboxCluster> StartAsync(string id) =>
        SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = $"{id}-{Guid.NewGuid():N}" }, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Auto_marks_rows_AMBIGUOUS_when_every_target_record_is_newer_and_refuses_to_execute_until_the_operator_chooses()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        // Source: 50 records two hours old; target: a replay of 55 records a minute ago that did not keep record times.
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 50, TwoHoursAgo);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "replay0", 0, 55, DateTimeOffset.UtcNow.AddMinutes(-1).AddSeconds(-55));
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 50));
        await KafkaPython.CommitAsync(source.BootstrapServers, "half", ("orders", 0, 20));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        string[] restore = ["restore", "--brokers", target.BootstrapServers, "--from", file];

        var plan = await CliRun.RunAsync([.. restore, "--plan-json", dir.File("plan.json")]);
        var execute = await CliRun.RunAsync([.. restore, "--execute"]);
        var afterRefusal = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0");
        var verify = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", file);
        var chosen = await CliRun.RunAsync([.. restore, "--translate", "offset", "--execute"]);

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("translation: timestamp (auto: another cluster", plan.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"billing +orders +0 +50 +- +0 +55 +\? +\? +caught up.*AMBIGUOUS: every record on the target is newer than the last record the group read .*--translate offset: 50 .*--translate timestamp: 0 ", plan.Stdout);
        Assert.Matches(@"half +orders +0 +20 +- +0 +55 +\? +\? +time .*AMBIGUOUS: every record on the target is newer than the group's next record .*--translate offset: 20 ", plan.Stdout);
        Assert.Contains("warning: 2 partition(s) of 2 group(s) are AMBIGUOUS", plan.Stderr, StringComparison.Ordinal);
        var row = JsonDocument.Parse(File.ReadAllText(dir.File("plan.json"))).RootElement.GetProperty("groups")[0].GetProperty("partitions")[0];
        Assert.True(row.GetProperty("ambiguous").GetBoolean());
        Assert.Equal((50L, 0L, false), (row.GetProperty("if_translate_offset").GetInt64(), row.GetProperty("if_translate_timestamp").GetInt64(), row.GetProperty("write").GetBoolean()));
        Assert.False(row.TryGetProperty("new_offset", out _));
        Assert.Equal(ExitCodes.Failure, execute.ExitCode);
        Assert.Contains("error: --translate auto cannot decide 2 partition(s) (AMBIGUOUS in the plan): run again with --translate offset", execute.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing written", execute.Stderr, StringComparison.Ordinal);
        Assert.Null(afterRefusal["orders:0"]);
        Assert.Equal(ExitCodes.Failure, verify.ExitCode);
        Assert.Contains("AMBIGUOUS on orders-0", verify.Stdout, StringComparison.Ordinal);
        Assert.True(chosen.ExitCode == 0, chosen.ToString());
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 50 }, await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0"));
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 20 }, await KafkaPython.CommittedAsync(target.BootstrapServers, "half", "orders:0"));
    }

    [Fact]
    public async Task Missing_topics_are_named_as_missing_not_as_a_backup_without_record_times()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 5));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);

        var plan = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file);

        Assert.Contains("next_record_timestamp", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.DoesNotContain("no record times", plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("the backup has record times, but their partitions do not exist on the target (missing: orders)", plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("--create-missing-topics", plan.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_that_matches_no_group_says_so_and_exits_1()
    {
        await using var cluster = await StartAsync("cluster");
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "billing", ("orders", 0, 5));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);

        var restore = await CliRun.RunAsync("restore", "--brokers", cluster.BootstrapServers, "--from", file, "--include-groups", "nosuch", "--execute");
        var verify = await CliRun.RunAsync("verify", "--brokers", cluster.BootstrapServers, "--from", file, "--include-groups", "nosuch");

        Assert.Equal(ExitCodes.Failure, restore.ExitCode);
        Assert.Contains("no group of the backup matches --include-groups/--exclude-groups/--topics", restore.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("every group was refused", restore.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, verify.ExitCode);
        Assert.Contains("no group of the backup matches", verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_live_group_is_counted_as_not_restored_and_verify_fails_while_it_differs()
    {
        await using var cluster = await StartAsync("cluster");
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 20, TwoHoursAgo);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "billing", ("orders", 0, 5));
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "idle", ("orders", 0, 7));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);
        string[] verifyArgs = ["verify", "--brokers", cluster.BootstrapServers, "--from", file, "--translate", "offset"];

        // A member joins 'billing' and consumes on from 5: it is active and moves away from the backup.
        await using var member = new KcatConsumer(cluster.BootstrapServers, "billing", "orders");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        CliRun.Result verify;
        while (true)
        {
            verify = await CliRun.RunAsync(verifyArgs);
            if (Regex.IsMatch(verify.Stdout, @"billing +orders +0 +5 +20 +15 .*ACTIVE") || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        var restore = await CliRun.RunAsync("restore", "--brokers", cluster.BootstrapServers, "--from", file, "--translate", "offset", "--execute");

        Assert.Matches(@"billing +orders +0 +5 +20 +15 .*ACTIVE", verify.Stdout);
        Assert.Equal(ExitCodes.Failure, verify.ExitCode);
        Assert.Contains("1 group(s) do not have the backup's offsets: billing (active: it has moved on while consuming)", verify.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Partial, restore.ExitCode);
        Assert.Contains("refused: group 'billing' is active on the target", restore.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing to do", restore.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing written: 1 group(s) already have these offsets or are kept; 1 group(s) refused, not restored (see above): billing", restore.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_new_groups_end_with_what_was_read_back_and_no_empty_rollback_is_offered()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 20, TwoHoursAgo);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 20, TwoHoursAgo);
        await KafkaPython.CommitAsync(source.BootstrapServers, "g1", ("orders", 0, 5));
        await KafkaPython.CommitAsync(source.BootstrapServers, "g2", ("orders", 0, 6));
        await KafkaPython.CommitAsync(source.BootstrapServers, "g3", ("orders", 0, 7));
        using var dir = new TempDirectory();
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", dir.File("a.json"));

        var restore = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", dir.File("a.json"), "--translate", "offset", "--execute");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("kmap: g1: restored 1 partition(s), read back once every group is written", restore.Stderr, StringComparison.Ordinal);
        Assert.Contains("kmap: done: 3 group(s) restored, read back and verified", restore.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing to roll back: none of the 3 group(s) to write had an offset before", restore.Stderr, StringComparison.Ordinal);
        Assert.Contains($"kmap consumer-groups --bootstrap-server {target.BootstrapServers} --delete --group g1 --group g2 --group g3", restore.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("undo: kmap restore", restore.Stderr, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 7 }, await KafkaPython.CommittedAsync(target.BootstrapServers, "g3", "orders:0"));
    }

    [Fact]
    public async Task Rows_not_written_show_the_kept_offset_and_no_change_and_a_no_op_group_writes_nothing()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 20, TwoHoursAgo);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 20, TwoHoursAgo);
        await KafkaPython.CommitAsync(source.BootstrapServers, "g1", ("orders", 0, 9));
        await KafkaPython.CommitAsync(source.BootstrapServers, "g2", ("orders", 0, 6));
        // On the target g1 exists elsewhere (kept without --overwrite), g2 already has the backup's offset.
        await KafkaPython.CommitAsync(target.BootstrapServers, "g1", ("orders", 0, 5));
        await KafkaPython.CommitAsync(target.BootstrapServers, "g2", ("orders", 0, 6));
        using var dir = new TempDirectory();
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", dir.File("b.json"));

        var kept = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", dir.File("b.json"), "--translate", "offset",
            "--plan-json", dir.File("plan.json"));

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Matches(@"g1 +orders +0 +9 +5 +0 +20 +5 += +offset +NOT WRITTEN: kept 5: the group exists on the target; translated 9", kept.Stdout);
        var groups = JsonDocument.Parse(File.ReadAllText(dir.File("plan.json"))).RootElement.GetProperty("groups").EnumerateArray().ToList();
        var g1 = groups.Single(g => g.GetProperty("group").GetString() == "g1").GetProperty("partitions")[0];
        Assert.Equal((5L, 0L, 9L, false), (g1.GetProperty("new_offset").GetInt64(), g1.GetProperty("change").GetInt64(), g1.GetProperty("translated_offset").GetInt64(),
            g1.GetProperty("write").GetBoolean()));
        var g2 = groups.Single(g => g.GetProperty("group").GetString() == "g2");
        Assert.True(g2.GetProperty("no_op").GetBoolean());
        Assert.All(g2.GetProperty("partitions").EnumerateArray(), r => Assert.False(r.GetProperty("write").GetBoolean()));
    }
}
