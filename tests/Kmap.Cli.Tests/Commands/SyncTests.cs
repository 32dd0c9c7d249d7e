using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox.Faults;
using static Kmap.Cli.Tests.Support.SyncHarness;

namespace Kmap.Cli.Tests.Commands;

/// <summary>`kmap sync`: one round, MM2 checkpoints, hand-over, the state file, faults, signals and metrics.</summary>
public partial class SyncTests
{
    private const string Topic = "orders";
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-1);

    /// <summary>Source and target with the same 30 records per partition, the target's behind 10 older ones.</summary>
    private static async Task FillAsync(string source, string target, int partitions = 2)
    {
        await CreateTopicAsync(source, Topic, partitions);
        await CreateTopicAsync(target, Topic, partitions);
        for (var p = 0; p < partitions; p++)
        {
            await ProduceAsync(target, Topic, p, "older", 0, 10, Start.AddDays(-1));
            await ProduceAsync(target, Topic, p, "o", 0, 30, Start);
            await ProduceAsync(source, Topic, p, "o", 0, 30, Start);
        }
    }

    private static string[] Sides(string source, string target, params string[] more) =>
        ["--source-brokers", source, "--target-brokers", target, .. more];

    [Fact]
    public async Task Once_writes_the_translated_positions_of_empty_and_absent_groups_and_exits_with_restore_codes()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 7), (Topic, 1, 30));
        await KafkaPython.CommitAsync(source.BootstrapServers, "ahead", (Topic, 0, 20));
        // On the target 'ahead' is already further than the source says: kmap never moves it back.
        await KafkaPython.CommitAsync(target.BootstrapServers, "ahead", (Topic, 0, 35));

        var run = await CliRun.RunAsync(["sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--once")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(new Dictionary<int, long> { [0] = 17, [1] = 40 }, Committed(target.BootstrapServers, "billing", Topic, 2));
        Assert.Equal(35, Committed(target.BootstrapServers, "ahead", Topic, 1)[0]);
        Assert.True(run.Stderr.Contains("kmap: round 1: 2 group(s), 2 partition(s) written, 0 unchanged, 1 skipped (1 would rewind), max translation lag 0.005 s", StringComparison.Ordinal), run.Stderr);
        Assert.Contains("group 'ahead' not written where the translated offset is behind the target's (first: orders-0: 30 < 35)", run.Stderr, StringComparison.Ordinal);

        var nothing = await CliRun.RunAsync(["sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--once", "--include-groups", "nobody")]);
        Assert.Equal(1, nothing.ExitCode);
        var usage = await CliRun.RunAsync(["sync", "--source-brokers", source.BootstrapServers, "--once"]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Run 'kmap sync --help' for usage.", usage.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mm2_checkpoints_translate_and_a_partition_without_one_is_said_once_not_every_round()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await CreateTopicAsync(source.BootstrapServers, Topic, 2);
        await CreateTopicAsync(target.BootstrapServers, "src.orders", 2);
        for (var p = 0; p < 2; p++)
        {
            await ProduceAsync(source.BootstrapServers, Topic, p, "o", 0, 30, Start);
            await ProduceAsync(target.BootstrapServers, "src.orders", p, "o", 0, 40, Start);
        }
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 7), (Topic, 1, 9));
        await KafkaPython.CheckpointAsync(target.BootstrapServers, "src.checkpoints.internal", "billing", "src.orders", 0, 7, 12);

        await using var sync = new RunningSync(Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "mm2", "--source-alias", "src", "--interval", "200ms"));
        await sync.WaitForRoundsAsync(4);
        Assert.Equal(0, await sync.StopAsync());

        Assert.Equal(12, Committed(target.BootstrapServers, "billing", "src.orders", 2)[0]);
        Assert.True(Committed(target.BootstrapServers, "billing", "src.orders", 2)[1] < 0, "no checkpoint: nothing written");
        Assert.Equal(1, sync.Stderr.Split('\n').Count(l => l.Contains("src.orders-1 not written: no MM2 checkpoint", StringComparison.Ordinal)));
        Assert.Matches(@"round 4: 1 group\(s\), 0 partition\(s\) written, 1 unchanged, 1 skipped \(1 untranslatable\)", sync.Stderr);
    }

    [Fact]
    public async Task Under_auto_an_ambiguous_partition_is_not_written_said_once_and_once_exits_3()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await CreateTopicAsync(source.BootstrapServers, Topic, 2);
        await CreateTopicAsync(target.BootstrapServers, Topic, 2);
        for (var p = 0; p < 2; p++)
        {
            await ProduceAsync(source.BootstrapServers, Topic, p, "o", 0, 30, Start);
        }
        // Partition 0 of the target has copies (with their times) behind older records; partition 1 only records older
        // than anything the group reads: its time says nothing about which record is which.
        await ProduceAsync(target.BootstrapServers, Topic, 0, "older", 0, 10, Start.AddDays(-1));
        await ProduceAsync(target.BootstrapServers, Topic, 0, "o", 0, 30, Start);
        await ProduceAsync(target.BootstrapServers, Topic, 1, "older", 0, 10, Start.AddDays(-1));
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 7), (Topic, 1, 7));

        var once = await CliRun.RunAsync(["sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--once")]);
        await using var sync = new RunningSync(Sides(source.BootstrapServers, target.BootstrapServers, "--interval", "200ms"));
        await sync.WaitForRoundsAsync(3);
        Assert.Equal(0, await sync.StopAsync());

        Assert.True(once.ExitCode == 3, once.ToString());
        Assert.Contains("group 'billing' orders-1 not written: AMBIGUOUS: every record on the target is older than the group's next record", once.Stderr, StringComparison.Ordinal);
        Assert.Equal(17, Committed(target.BootstrapServers, "billing", Topic, 2)[0]);
        Assert.True(Committed(target.BootstrapServers, "billing", Topic, 2)[1] < 0, "the ambiguous partition is not written");
        Assert.Equal(1, sync.Stderr.Split('\n').Count(l => l.Contains("orders-1 not written: AMBIGUOUS", StringComparison.Ordinal)));
        Assert.Contains("1 skipped (1 untranslatable)", sync.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_another_client_moves_on_the_target_between_rounds_is_handed_over_and_never_written_again()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 5));
        await using var sync = new RunningSync(Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--interval", "200ms"));
        await sync.WaitForAsync(() => Committed(target.BootstrapServers, "billing", Topic, 1)[0] == 15, "billing written");

        // A consumer ran on the target (it committed and left) while the source group moved on.
        await KafkaPython.CommitAsync(target.BootstrapServers, "billing", (Topic, 0, 20));
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 25));
        await sync.WaitForAsync(() => sync.Stderr.Contains("group 'billing' was moved on the target by another client (orders-0: committed 20, kmap last wrote 15): kmap stops writing it", StringComparison.Ordinal), "the hand-over");
        await sync.WaitForRoundsAsync(3);
        Assert.Equal(0, await sync.StopAsync());
        Assert.Equal(20, Committed(target.BootstrapServers, "billing", Topic, 1)[0]);
    }

    [Fact]
    public async Task The_state_file_keeps_handed_over_groups_and_written_positions_across_restarts()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 5));
        await KafkaPython.CommitAsync(source.BootstrapServers, "payments", (Topic, 0, 6));
        using var dir = new TempDirectory();
        var state = dir.File("sync-state.json");
        string[] once = ["sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--once", "--state-file", state)];
        Assert.Equal(0, (await CliRun.RunAsync(once)).ExitCode);
        Assert.Equal(15, Committed(target.BootstrapServers, "billing", Topic, 1)[0]);

        // While kmap is stopped: billing becomes active on the target, payments is moved there by a consumer that left.
        await using (var consumer = new RecordingConsumer(target.BootstrapServers, "billing", Topic))
        {
            await WaitAsync(() => consumer.Assigned);
            var during = await CliRun.RunAsync(once);
            Assert.True(during.ExitCode == 0, during.ToString());
            Assert.Contains("group 'billing' became active on the target", during.Stderr, StringComparison.Ordinal);
        }
        await KafkaPython.CommitAsync(target.BootstrapServers, "payments", (Topic, 0, 30));
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 25));
        await KafkaPython.CommitAsync(source.BootstrapServers, "payments", (Topic, 0, 26));
        var billingLeft = Committed(target.BootstrapServers, "billing", Topic, 1)[0];

        var restarted = await CliRun.RunAsync(once);

        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Contains("1 group(s) handed over to the target in earlier runs", restarted.Stderr, StringComparison.Ordinal);
        Assert.Contains("group 'payments' was moved on the target by another client (orders-0: committed 30, kmap last wrote 16)", restarted.Stderr, StringComparison.Ordinal);
        Assert.Equal(billingLeft, Committed(target.BootstrapServers, "billing", Topic, 1)[0]);
        Assert.Equal(30, Committed(target.BootstrapServers, "payments", Topic, 1)[0]);
        var text = await File.ReadAllTextAsync(state, TestContext.Current.CancellationToken);
        Assert.Contains("\"group\": \"billing\"", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public async Task Rounds_go_on_through_dropped_connections_and_coordinator_errors_and_a_broker_down_for_10_seconds()
    {
        await using var source = await StartAsync("source", FaultSpec.Parse("seed=3;drop-after=40"));
        await using var target = await StartAsync("target", FaultSpec.Parse("seed=5;error=0.3:NOT_COORDINATOR@OffsetCommit,OffsetFetch;drop-after=40"));
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 5));
        await using var sync = new RunningSync(Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--interval", "300ms"));
        await sync.WaitForAsync(() => Committed(target.BootstrapServers, "billing", Topic, 1)[0] == 15, "billing written through the faults", TimeSpan.FromSeconds(90));

        // The whole source cluster (its one broker) goes away for 10 s, and comes back.
        await source.StopBrokerAsync(0);
        await sync.WaitForAsync(() => RoundFailed().IsMatch(sync.Stderr), "a failed round", TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(10) - TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        await source.RestartBrokerAsync(0);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 9));
        await sync.WaitForAsync(() => Committed(target.BootstrapServers, "billing", Topic, 1)[0] == 19, "billing written after the restart", TimeSpan.FromSeconds(120));
        await sync.WaitForAsync(() => sync.Stderr.Contains("both clusters answer again", StringComparison.Ordinal), "the recovery line");
        Assert.Equal(0, await sync.StopAsync());

        var failed = RoundFailed().Match(sync.Stderr).Value;
        Assert.True(failed.Contains(source.BootstrapServers.Split(',')[0], StringComparison.Ordinal) && failed.Contains("next attempt in", StringComparison.Ordinal), sync.Stderr);
        Assert.Contains("both clusters answer again", sync.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_target_position_ahead_is_kept_and_said_once_and_allow_rewind_moves_it_back()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "ahead", (Topic, 0, 20));
        await KafkaPython.CommitAsync(target.BootstrapServers, "ahead", (Topic, 0, 35));

        await using (var sync = new RunningSync(Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--interval", "200ms")))
        {
            await sync.WaitForRoundsAsync(3);
            Assert.Equal(0, await sync.StopAsync());
            Assert.Equal(35, Committed(target.BootstrapServers, "ahead", Topic, 1)[0]);
            var said = sync.Stderr.Split('\n').Count(l => l.Contains("group 'ahead' not written where the translated offset is behind the target's (first: orders-0: 30 < 35)", StringComparison.Ordinal));
            Assert.True(said == 1, sync.Stderr);
        }

        var rewind = await CliRun.RunAsync(["sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--allow-rewind", "--once")]);

        Assert.True(rewind.ExitCode == 0, rewind.ToString());
        Assert.Equal(30, Committed(target.BootstrapServers, "ahead", Topic, 1)[0]);
        Assert.Contains("kmap: round 1: 1 group(s), 1 partition(s) written, 0 unchanged", rewind.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not written where the translated offset is behind", rewind.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_target_cluster_down_for_10_seconds_fails_a_round_naming_its_broker_later_rounds_catch_up_and_sigterm_exits_0()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 5));
        // The real process: librdkafka's own logger writes to the process's stderr, past kmap's writers.
        using var process = KmapProcess.Start(["sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--interval", "300ms")]);
        process.StandardInput.Close();
        var lines = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
            }
        };
        process.BeginErrorReadLine();
        var stderr = () => string.Join('\n', lines);
        try
        {
            await WaitAsync(() => Committed(target.BootstrapServers, "billing", Topic, 1)[0] == 15 && lines.Any(l => l.StartsWith("kmap: round 1: ", StringComparison.Ordinal)));

            // The whole target cluster (its one broker) goes away for 10 s while the source moves on, and comes back.
            await target.StopBrokerAsync(0);
            await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 9));
            await WaitAsync(() => lines.Any(l => RoundFailed().IsMatch(l)), 120);
            await Task.Delay(TimeSpan.FromSeconds(10) - TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
            await target.RestartBrokerAsync(0);
            await WaitAsync(() => Committed(target.BootstrapServers, "billing", Topic, 1)[0] == 19, 120);
            await WaitAsync(() => lines.Any(l => l.Contains("both clusters answer again", StringComparison.Ordinal)));
            KmapProcess.Signal(process, "TERM");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            process.WaitForExit();
        }
        catch (Exception e)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{e.Message}\n{stderr()}", e);
        }

        Assert.True(process.ExitCode == 0, stderr());
        var failed = lines.First(l => RoundFailed().IsMatch(l));
        Assert.True(failed.Contains(target.BootstrapServers.Split(',')[0], StringComparison.Ordinal) && failed.Contains("next attempt in", StringComparison.Ordinal), stderr());
        Assert.Equal(19, Committed(target.BootstrapServers, "billing", Topic, 1)[0]);
        // Every line is kmap's own: no raw librdkafka log line ("%3|1796444091.832|FAIL|kmap#producer-15| ...").
        Assert.DoesNotContain(lines, l => l.StartsWith('%'));
    }

    [Fact]
    public async Task Sigterm_lets_the_round_finish_and_exits_0()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 5));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])[KmapProcess.Dll, "sync", .. Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--interval", "200ms")])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var lines = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
            }
        };
        process.BeginErrorReadLine();
        await WaitAsync(() => lines.Count(l => l.StartsWith("kmap: round ", StringComparison.Ordinal)) >= 2);
        KmapProcess.Signal(process, "TERM");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        process.WaitForExit();

        Assert.True(process.ExitCode == 0, string.Join('\n', lines));
        Assert.Contains(lines, l => l.StartsWith("kmap: interrupted: finishing the commits in flight", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("kmap: stopped after ", StringComparison.Ordinal) || l.Contains("interrupted before any write: stopped", StringComparison.Ordinal));
        Assert.Equal(15, Committed(target.BootstrapServers, "billing", Topic, 1)[0]);
    }

    [Fact]
    public async Task Metrics_are_served_over_http_in_prometheus_text()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await FillAsync(source.BootstrapServers, target.BootstrapServers, 1);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", (Topic, 0, 5));
        var port = FreePort();
        await using var sync = new RunningSync(Sides(source.BootstrapServers, target.BootstrapServers, "--translate", "timestamp", "--interval", "200ms",
            "--metrics-listen", $"127.0.0.1:{port}"));
        await sync.WaitForRoundsAsync(2);
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"), TestContext.Current.CancellationToken);
        Assert.Equal(0, await sync.StopAsync());

        Assert.Matches(@"(?m)^kmap_sync_rounds_total\{result=""ok""\} [1-9]", text);
        Assert.Matches(@"(?m)^kmap_sync_partitions_written_total 1$", text);
        Assert.Matches(@"(?m)^kmap_sync_groups\{state=""synced""\} 1$", text);
        Assert.Matches(@"(?m)^kmap_sync_translation_lag_seconds\{group=""billing""\} 0$", text);
        Assert.Contains("# TYPE kmap_sync_errors_total counter", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nprocess_", text, StringComparison.Ordinal);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"kmap: round \d+ failed: .*")]
    private static partial System.Text.RegularExpressions.Regex RoundFailed();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitAsync(Func<bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
