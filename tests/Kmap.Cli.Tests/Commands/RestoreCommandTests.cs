using System.Text.Json;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// `kmap backup` / `restore` / `verify` / `diff` between two sandboxes whose offsets differ for the same records;
/// kafka-python (and kcat) are the independent judges of what a restored group reads next.
/// </summary>
public class RestoreCommandTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-2);

    private static Task<SandboxCluster> StartAsync(string id) =>
        SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = $"{id}-{Guid.NewGuid():N}" }, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Source: order-0..order-19 on orders-0 and -1. Target: 5 older records first, then the same 20 (offset + 5).</summary>
    private static async Task FillAsync(string source, string target, string topic = "orders")
    {
        foreach (var p in new[] { 0, 1 })
        {
            await KafkaPython.ProduceTimedAsync(source, "orders", p, $"order{p}", 0, 20, Start);
            await KafkaPython.ProduceTimedAsync(target, topic, p, $"older{p}", 0, 5, Start.AddDays(-1));
            await KafkaPython.ProduceTimedAsync(target, topic, p, $"order{p}", 0, 20, Start);
        }
    }

    [Fact]
    public async Task Timestamp_translation_lands_the_group_on_the_record_it_would_read_next_on_the_source()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers);
        // orders-0: read up to order0-6; orders-1: caught up.
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 7), ("orders", 1, 20));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");

        var backup = await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        var plan = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "timestamp");
        var untouched = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0");
        var restore = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "timestamp", "--execute");

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("summary: 1 group(s), 2 partition(s), total lag 13 record(s), oldest position", backup.Stderr, StringComparison.Ordinal);
        var json = JsonDocument.Parse(File.ReadAllText(file)).RootElement;
        var p0 = json.GetProperty("consumer_groups")[0].GetProperty("topics").GetProperty("orders")[0];
        Assert.Equal(13, p0.GetProperty("lag").GetInt64());
        Assert.Equal(Start.AddSeconds(7).ToUnixTimeMilliseconds(), DateTimeOffset.Parse(p0.GetProperty("next_record_timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.Equal(Start.AddSeconds(6).ToUnixTimeMilliseconds(), DateTimeOffset.Parse(p0.GetProperty("last_consumed_timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Matches(@"billing +orders +0 +7 +- +0 +25 +12 +new +time", plan.Stdout);
        Assert.Matches(@"billing +orders +1 +20 +- +0 +25 +25 +new +caught up", plan.Stdout);
        Assert.Null(untouched["orders:0"]);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("read back and verified", restore.Stderr, StringComparison.Ordinal);
        var onSource = await KafkaPython.NextAsync(source.BootstrapServers, "billing", "orders:0", "orders:1");
        var onTarget = await KafkaPython.NextAsync(target.BootstrapServers, "billing", "orders:0", "orders:1");
        Assert.Equal("order0-7", onSource["orders:0"]);
        Assert.Equal(onSource, onTarget);
    }

    [Fact]
    public async Task Auto_picks_offset_on_the_same_cluster_and_timestamp_on_a_cluster_whose_offsets_differ()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 3));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file, "--topics", "orders");

        var same = await CliRun.RunAsync("restore", "--brokers", source.BootstrapServers, "--from", file);
        var other = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--plan-json", dir.File("plan.json"));
        var atTime = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file,
            "--to-datetime", Start.AddSeconds(9).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var recent = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--by-duration", "PT1H");

        Assert.Contains("translation: offset (auto: the target is the backed-up cluster", same.Stderr, StringComparison.Ordinal);
        Assert.Contains("translation: timestamp (auto: another cluster", other.Stderr, StringComparison.Ordinal);
        var row = JsonDocument.Parse(File.ReadAllText(dir.File("plan.json"))).RootElement.GetProperty("groups")[0].GetProperty("partitions")[0];
        Assert.Equal(3, row.GetProperty("backup_offset").GetInt64());
        Assert.Equal(8, row.GetProperty("new_offset").GetInt64());
        Assert.Equal(25, row.GetProperty("log_end_offset").GetInt64());
        Assert.Matches(@"billing +orders +0 +3 +- +0 +25 +14 +new +time ", atTime.Stdout);
        Assert.Matches(@"billing +orders +0 +3 +- +0 +25 +25 +new +time ", recent.Stdout);
    }

    [Fact]
    public async Task Mm2_translation_reads_a_checkpoints_topic_written_as_MirrorMaker_2_writes_it()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        // MM2's default replication policy: the target's copy of 'orders' is 'primary.orders'.
        await FillAsync(source.BootstrapServers, target.BootstrapServers, topic: "primary.orders");
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 7), ("orders", 1, 2));
        await KafkaPython.CheckpointAsync(target.BootstrapServers, "primary.checkpoints.internal", "billing", "primary.orders", 0, 7, 12);
        await KafkaPython.CheckpointAsync(target.BootstrapServers, "primary.checkpoints.internal", "other", "primary.orders", 1, 1, 6);
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);

        var restore = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "mm2", "--source-alias", "primary", "--execute");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("2 checkpoint(s) read from primary.checkpoints.internal", restore.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"billing +primary\.orders +0 +7 +- +0 +25 +12 +new +mm2 7->12", restore.Stdout);
        Assert.Matches(@"billing +primary\.orders +1 .*NOT WRITTEN: no MM2 checkpoint", restore.Stdout);
        var committed = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "primary.orders:0", "primary.orders:1");
        Assert.Equal(12, committed["primary.orders:0"]);
        Assert.Null(committed["primary.orders:1"]);
        Assert.Equal("order0-7", (await KafkaPython.NextAsync(target.BootstrapServers, "billing", "primary.orders:0"))["primary.orders:0"]);
    }

    [Fact]
    public async Task Existing_groups_are_kept_unless_overwrite_rerun_is_a_no_op_and_the_rollback_file_undoes()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 7), ("orders", 1, 9));
        await KafkaPython.CommitAsync(target.BootstrapServers, "billing", ("orders", 0, 3));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        var rollback = dir.File("undo.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        string[] restore = ["restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "timestamp"];

        var kept = await CliRun.RunAsync([.. restore, "--execute"]);
        var afterKept = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0", "orders:1");
        var forward = await CliRun.RunAsync([.. restore, "--no-rewind"]);
        var overwrite = await CliRun.RunAsync([.. restore, "--overwrite", "--execute", "--rollback-file", rollback]);
        var afterOverwrite = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0", "orders:1");
        var again = await CliRun.RunAsync([.. restore, "--overwrite", "--execute", "--rollback-file", dir.File("second.json")]);
        var undo = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", rollback, "--execute");
        var afterUndo = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0");

        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("already has offsets on the target: kept", kept.Stderr, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 3, ["orders:1"] = null }, afterKept);
        Assert.Matches(@"billing +orders +0 +7 +3 .* 12 +skip 9 ", forward.Stdout);
        Assert.True(overwrite.ExitCode == 0, overwrite.ToString());
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 12, ["orders:1"] = 14 }, afterOverwrite);
        Assert.Contains("had no offset before on orders-1", overwrite.Stderr, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing to do: the target already has these offsets", again.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("second.json")));
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Equal(3, afterUndo["orders:0"]);
    }

    [Fact]
    public async Task Out_of_range_offsets_are_clamped_and_reported_or_fail_the_group_without_writing()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 20, Start);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 10, Start);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 15));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file, "--no-timestamps");
        string[] restore = ["restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset"];

        var fail = await CliRun.RunAsync([.. restore, "--out-of-range", "fail", "--execute"]);
        var afterFail = await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0");
        var earliest = await CliRun.RunAsync([.. restore, "--out-of-range", "earliest"]);
        var clamp = await CliRun.RunAsync([.. restore, "--execute"]);

        Assert.DoesNotContain("next_record_timestamp", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, fail.ExitCode);
        Assert.Contains("15 is outside the target's log [0, 10] (--out-of-range fail)", fail.Stderr, StringComparison.Ordinal);
        Assert.Null(afterFail["orders:0"]);
        Assert.Matches(@"billing +orders +0 +15 +- +0 +10 +0 +new +offset +15 is outside", earliest.Stdout);
        Assert.True(clamp.ExitCode == 0, clamp.ToString());
        Assert.Matches(@"billing +orders +0 +15 +- +0 +10 +10 +new +offset +clamped: 15 is outside", clamp.Stdout);
        Assert.Contains("outside the target's log and were moved into it", clamp.Stderr, StringComparison.Ordinal);
        Assert.Equal(10, (await KafkaPython.CommittedAsync(target.BootstrapServers, "billing", "orders:0"))["orders:0"]);
    }

    [Fact]
    public async Task A_group_active_on_the_target_is_refused_and_missing_topics_are_created_on_request()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 20, Start);
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "payments", 0, "pay0", 0, 5, Start);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 20, Start);
        await KafkaPython.CommitAsync(source.BootstrapServers, "live", ("orders", 0, 5));
        await KafkaPython.CommitAsync(source.BootstrapServers, "payer", ("payments", 2, 4));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        await using var member = new KcatConsumer(target.BootstrapServers, "live", "orders");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        CliRun.Result plan;
        while (true)
        {
            plan = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset");
            if (plan.Stderr.Contains("is active on the target (Stable", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        var create = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset",
            "--include-groups", "pay*", "--create-missing-topics", "--execute");

        Assert.Equal(ExitCodes.Failure, plan.ExitCode);
        Assert.Contains("refused: group 'live' is active on the target (Stable, 1 member(s)); stop its consumers", plan.Stderr, StringComparison.Ordinal);
        Assert.Contains("refused: partitions payments-2 of group 'payer' do not exist on the target", plan.Stderr, StringComparison.Ordinal);
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.DoesNotContain("live", create.Stdout, StringComparison.Ordinal);
        Assert.Contains("created topic(s) payments", create.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"payer +payments +2 +4 +- +0 +0 +0 +new +offset +clamped", create.Stdout);
        Assert.Equal(0, (await KafkaPython.CommittedAsync(target.BootstrapServers, "payer", "payments:2"))["payments:2"]);
    }

    [Fact]
    public async Task Missing_topics_are_created_with_the_sources_partition_count_and_an_older_file_falls_back_with_a_warning()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceAsync(source.BootstrapServers, "events", 6, 3);
        // Groups committed only on partitions 0 and 1 of the 6.
        await KafkaPython.CommitAsync(source.BootstrapServers, "reader", ("events", 0, 2), ("events", 1, 1));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        var backup = await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        // The same file as the Go tool or an older kmap wrote it: no partition_counts.
        var older = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        older.Remove("partition_counts");
        File.WriteAllText(dir.File("older.json"), older.ToJsonString());
        string[] restore = ["restore", "--brokers", target.BootstrapServers, "--translate", "offset", "--create-missing-topics"];

        var fromOlder = await CliRun.RunAsync([.. restore, "--from", dir.File("older.json"), "--format", "json"]);
        var create = await CliRun.RunAsync([.. restore, "--from", file, "--execute"]);
        var metadata = await ProcessRunner.RunAsync("kcat", ["-L", "-J", "-b", target.BootstrapServers, "-t", "events"]);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Equal(6, JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("partition_counts").GetProperty("events").GetInt32());
        Assert.True(fromOlder.ExitCode == 0, fromOlder.ToString());
        Assert.Contains("kmap: warning: the backup does not say how many partitions topic 'events' had on the source", fromOlder.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(fromOlder.Stdout).RootElement.GetProperty("topics_to_create").GetProperty("events").GetInt32());
        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.DoesNotContain("warning: the backup does not say", create.Stderr, StringComparison.Ordinal);
        Assert.Contains("created topic(s) events (6 partition(s))", create.Stderr, StringComparison.Ordinal);
        Assert.True(metadata.ExitCode == 0, metadata.ToString());
        var topic = JsonDocument.Parse(metadata.Stdout).RootElement.GetProperty("topics")[0];
        Assert.Equal(6, topic.GetProperty("partitions").GetArrayLength());
    }

    [Fact]
    public async Task Verify_compares_a_group_active_on_the_cluster_marks_its_drift_as_expected_and_still_exits_1()
    {
        await using var cluster = await StartAsync("cluster");
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 20, Start);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "live", ("orders", 0, 5));
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "idle", ("orders", 0, 7));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);
        string[] verify = ["verify", "--brokers", cluster.BootstrapServers, "--from", file, "--translate", "offset"];

        // A member joins 'live' and consumes from offset 5; its commits move the group while verify looks.
        await using var member = new KcatConsumer(cluster.BootstrapServers, "live", "orders");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        CliRun.Result table;
        while (true)
        {
            table = await CliRun.RunAsync(verify);
            if (System.Text.RegularExpressions.Regex.IsMatch(table.Stdout, @"live +orders +0 +5 +20 +15 .*ACTIVE") || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        var json = await CliRun.RunAsync([.. verify, "--format", "json"]);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "idle", ("orders", 0, 9));
        var idleDrift = await CliRun.RunAsync([.. verify, "--format", "json"]);

        // Drift in an active group is expected, but the cluster does not hold the backup's offsets: exit 1, saying which group.
        Assert.True(table.ExitCode == ExitCodes.Failure, table.ToString());
        Assert.Contains("1 group(s) do not have the backup's offsets: live (active: it has moved on while consuming)", table.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"live +orders +0 +5 +20 +15 +offset +ACTIVE: expected while it consumes", table.Stdout);
        Assert.DoesNotMatch(@"idle", table.Stdout);
        Assert.Matches(@"kmap: note: group 'live' is active on the cluster \(\w+, 1 member\(s\)\): compared, but it commits new offsets while it consumes", table.Stderr);
        Assert.Contains("1 of 2 partition offset(s) differ from the backup (1 in active groups, expected while they consume; 0 in inactive groups)", table.Stderr, StringComparison.Ordinal);
        Assert.True(json.ExitCode == ExitCodes.Failure, json.ToString());
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(2, report.GetProperty("compared_partitions").GetInt32());
        Assert.False(report.GetProperty("matches").GetBoolean());
        Assert.False(report.GetProperty("unexpected_drift").GetBoolean());
        var drift = report.GetProperty("drift")[0];
        Assert.Equal(("live", 5L, 20L, 15L, true), (drift.GetProperty("group").GetString(), drift.GetProperty("expected_offset").GetInt64(),
            drift.GetProperty("current_offset").GetInt64(), drift.GetProperty("drift").GetInt64(), drift.GetProperty("group_active").GetBoolean()));
        Assert.Equal("live", report.GetProperty("active_groups")[0].GetProperty("group").GetString());
        Assert.Equal(ExitCodes.Failure, idleDrift.ExitCode);
        var idle = JsonDocument.Parse(idleDrift.Stdout).RootElement;
        Assert.True(idle.GetProperty("unexpected_drift").GetBoolean());
        Assert.Contains(idle.GetProperty("drift").EnumerateArray(), d => d.GetProperty("group").GetString() == "idle" && d.GetProperty("drift").GetInt64() == 2 && !d.GetProperty("group_active").GetBoolean());
    }

    [Fact]
    public async Task Format_json_prints_the_plan_and_the_diff_for_scripts()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 7), ("orders", 1, 20));
        using var dir = new TempDirectory();
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", dir.File("a.json"));
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 9));
        await KafkaPython.CommitAsync(source.BootstrapServers, "new", ("orders", 1, 3));
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", dir.File("b.json"));

        var plan = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", dir.File("a.json"), "--translate", "timestamp",
            "--format", "json", "--plan-json", dir.File("plan.json"));
        var diff = await CliRun.RunAsync("diff", dir.File("a.json"), dir.File("b.json"), "--format", "json");
        var badFormat = await CliRun.RunAsync("diff", dir.File("a.json"), dir.File("b.json"), "--format", "yaml");

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal(File.ReadAllText(dir.File("plan.json")), plan.Stdout);
        var group = JsonDocument.Parse(plan.Stdout).RootElement.GetProperty("groups")[0];
        Assert.Equal("billing", group.GetProperty("group").GetString());
        var rows = group.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal((7L, 12L, true), (rows[0].GetProperty("backup_offset").GetInt64(), rows[0].GetProperty("new_offset").GetInt64(), rows[0].GetProperty("write").GetBoolean()));
        Assert.StartsWith("caught up", rows[1].GetProperty("derived_by").GetString(), StringComparison.Ordinal);
        Assert.True(diff.ExitCode == 0, diff.ToString());
        var changes = JsonDocument.Parse(diff.Stdout).RootElement.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(2, changes.Count);
        var moved = changes.Single(c => c.GetProperty("group").GetString() == "billing");
        Assert.Equal(("moved", 7L, 9L, 2L, 2000L), (moved.GetProperty("status").GetString(), moved.GetProperty("offset_a").GetInt64(), moved.GetProperty("offset_b").GetInt64(),
            moved.GetProperty("moved").GetInt64(), moved.GetProperty("moved_in_time_ms").GetInt64()));
        var added = changes.Single(c => c.GetProperty("group").GetString() == "new");
        Assert.Equal(("added", 3L), (added.GetProperty("status").GetString(), added.GetProperty("offset_b").GetInt64()));
        Assert.False(added.TryGetProperty("offset_a", out _));
        Assert.Equal(ExitCodes.Usage, badFormat.ExitCode);
    }

    [Fact]
    public async Task Filters_differential_chain_diff_and_verify()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers);
        await KafkaPython.CommitAsync(source.BootstrapServers, "orders-a", ("orders", 0, 4), ("orders", 1, 4));
        await KafkaPython.CommitAsync(source.BootstrapServers, "orders-b", ("orders", 0, 5));
        await KafkaPython.CommitAsync(source.BootstrapServers, "audit", ("orders", 1, 6));
        using var dir = new TempDirectory();
        string[] backup = ["backup", "--brokers", source.BootstrapServers];

        var filtered = await CliRun.RunAsync([.. backup, "-o", dir.File("filtered.json"), "--include-groups", "orders-*,audit", "--exclude-groups", "re:-b$"]);
        await CliRun.RunAsync([.. backup, "-o", dir.File("base.json")]);
        await KafkaPython.CommitAsync(source.BootstrapServers, "orders-a", ("orders", 1, 10));
        await KafkaPython.CommitAsync(source.BootstrapServers, "new", ("orders", 0, 1));
        var delta = await CliRun.RunAsync([.. backup, "-o", dir.File("delta.json"), "--since", dir.File("base.json")]);
        await CliRun.RunAsync([.. backup, "-o", dir.File("full.json")]);
        var diff = await CliRun.RunAsync("diff", dir.File("base.json"), dir.File("full.json"));
        var driftOnSource = await CliRun.RunAsync("verify", "--brokers", source.BootstrapServers, "--from", dir.File("base.json"));
        var chainVerify = await CliRun.RunAsync("verify", "--brokers", source.BootstrapServers, "--from", dir.File("delta.json"));
        var restoreChain = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", dir.File("base.json"), "--from", dir.File("delta.json"),
            "--translate", "timestamp", "--execute");
        var restoredVerify = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", dir.File("full.json"), "--translate", "timestamp");

        Assert.True(filtered.ExitCode == 0, filtered.ToString());
        var groups = JsonDocument.Parse(File.ReadAllText(dir.File("filtered.json"))).RootElement.GetProperty("consumer_groups").EnumerateArray().Select(g => g.GetProperty("group").GetString()).ToList();
        Assert.Equal(["audit", "orders-a"], groups);
        Assert.Contains("differential: 2 group(s), 2 partition(s) changed since", delta.Stderr, StringComparison.Ordinal);
        var deltaJson = JsonDocument.Parse(File.ReadAllText(dir.File("delta.json"))).RootElement;
        Assert.Equal("base.json", deltaJson.GetProperty("base_file").GetString());
        Assert.Matches(@"new +orders +0 +- +1 +added", diff.Stdout);
        Assert.Matches(@"orders-a +orders +1 +4 +10 +\+6 +\S+ +\S+ +\+00:00:06\.000", diff.Stdout);
        Assert.Equal(ExitCodes.Failure, driftOnSource.ExitCode);
        Assert.Matches(@"orders-a +orders +1 +4 +10 +6 ", driftOnSource.Stdout);
        Assert.True(chainVerify.ExitCode == 0, chainVerify.ToString());
        Assert.Contains("no drift: 5 partition offset(s) in 4 group(s)", chainVerify.Stderr, StringComparison.Ordinal);
        Assert.True(restoreChain.ExitCode == 0, restoreChain.ToString());
        Assert.True(restoredVerify.ExitCode == 0, restoredVerify.ToString());
        Assert.Equal("order1-10", (await KafkaPython.NextAsync(target.BootstrapServers, "orders-a", "orders:1"))["orders:1"]);
    }

    [Fact]
    public async Task Demo_tells_the_migration_story_and_lands_every_partition_on_the_same_record_within_a_minute()
    {
        using var dir = new TempDirectory();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var demo = await CliRun.RunAsync("demo", "--output-dir", dir.Path);

        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"demo took {watch.Elapsed}");
        Assert.Contains("translation: timestamp (auto: another cluster", demo.Stderr, StringComparison.Ordinal);
        // Three partitions land on the same record after the restore (step 13), and again after the sync round (step 15).
        Assert.Equal(6, System.Text.RegularExpressions.Regex.Matches(demo.Stdout, @"-> 'click-\d-\d+'   same record\n|-> \(end of log\)   same record\n").Count);
        Assert.DoesNotContain("DIFFERENT", demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("   $ kmap restore --brokers", demo.Stdout, StringComparison.Ordinal);
        Assert.Contains("no drift", demo.Stderr, StringComparison.Ordinal);
    }
}
