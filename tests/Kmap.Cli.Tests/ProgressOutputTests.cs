using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using Kmap.Sandbox.Groups;

namespace Kmap.Cli.Tests;

/// <summary>
/// Progress of the long commands as a user sees it: plain periodic lines (no bar, no escapes) when stderr is a file or
/// a pipe, nothing of it on stdout, and a "retrying BROKER for up to N s (reason)" line as soon as a broker does not answer.
/// </summary>
public class ProgressOutputTests
{
    private const int Groups = 3;

    [Fact]
    public async Task On_a_redirected_stderr_backup_restore_verify_the_map_and_the_go_style_mode_print_plain_progress_lines_and_no_escapes()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        lock (sandbox.State.Sync)
        {
            var topic = sandbox.State.CreateTopic("orders", 1, 1);
            topic.Partitions[0].HighWatermark = 10;
            for (var g = 0; g < Groups; g++)
            {
                sandbox.State.Groups.RestoreOffsets($"group-{g}", "consumer", [new PartitionCommit("orders", 0, g + 1, -1, "", 0)]);
            }
        }
        using var dir = new TempDirectory();

        var backup = await KmapBinary.RunAsync(dir.Path, null, "backup", "--brokers", sandbox.BootstrapServers, "-o", "offsets.json", "--no-timestamps");
        lock (sandbox.State.Sync)
        {
            // The groups move on after the backup, so the restore has something to write back.
            for (var g = 0; g < Groups; g++)
            {
                sandbox.State.Groups.RestoreOffsets($"group-{g}", "consumer", [new PartitionCommit("orders", 0, 9, -1, "", 0)]);
            }
        }
        var restore = await KmapBinary.RunAsync(dir.Path, null, "restore", "--brokers", sandbox.BootstrapServers, "--from", "offsets.json",
            "--translate", "offset", "--overwrite", "--execute", "--rollback-file", "rollback.json");
        var verify = await KmapBinary.RunAsync(dir.Path, null, "verify", "--brokers", sandbox.BootstrapServers, "--from", "offsets.json");
        var compat = await KmapBinary.RunAsync(dir.Path, null, "-brokers", sandbox.BootstrapServers, "-save-offsets", "compat.json");
        var map = await KmapBinary.RunAsync(dir.Path, null, "-brokers", sandbox.BootstrapServers, "-output", "cluster.json", "-lag-sample-interval", "0");

        foreach (var (name, run, line) in new[]
        {
            ("backup", backup, $"kmap: reading committed offsets: {Groups}/{Groups} groups"),
            ("restore --execute", restore, $"kmap: writing offsets: {Groups}/{Groups} groups"),
            ("verify", verify, $"kmap: reading committed offsets: {Groups}/{Groups} groups"),
            ("-save-offsets", compat, $"kmap: reading committed offsets: {Groups}/{Groups} groups"),
            ("-output", map, $"kmap: mapping: reading committed offsets: {Groups}/{Groups} groups"),
        })
        {
            Assert.True(run.ExitCode == 0, $"{name}: {run}");
            Assert.DoesNotContain("\u001b", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", run.Stderr, StringComparison.Ordinal);
            Assert.True(run.Stderr.Split('\n').Any(l => l.StartsWith(line, StringComparison.Ordinal)), $"{name}: no line starting '{line}' in\n{run.Stderr}");
            Assert.DoesNotContain("kmap: reading", run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("kmap: writing", run.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_backup_against_a_broker_that_is_down_says_it_is_retrying_it_long_before_it_gives_up()
    {
        var port = UnusedPort();
        var error = new WatchingWriter("retrying ");

        var (seen, seenAfter) = await BackupUntilSeenAsync($"127.0.0.1:{port}", error);

        Assert.True(seen, $"kmap ended without a retrying line:\n{error}");
        Assert.Matches($@"^kmap: retrying 127\.0\.0\.1:{port} for up to (2\d|30) s \(Connection refused\)$", await error.Seen);
        Assert.True(seenAfter < TimeSpan.FromSeconds(10), $"the retrying line came after {seenAfter.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task A_backup_with_one_broker_of_the_cluster_stopped_names_that_broker_while_it_retries()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("orders", 3, 1);
            for (var g = 0; g < 6; g++)
            {
                sandbox.State.Groups.RestoreOffsets($"group-{g}", "consumer", [new PartitionCommit("orders", g % 3, g, -1, "", 0)]);
            }
        }
        var running = sandbox.State.Brokers[0];
        var stopped = sandbox.State.Brokers[^1];
        await sandbox.StopBrokerAsync(stopped.Id);
        var error = new WatchingWriter($"retrying {stopped.Host}:{stopped.Port} ");

        var (seen, seenAfter) = await BackupUntilSeenAsync($"{running.Host}:{running.Port}", error);

        Assert.True(seen, $"kmap ended without naming the stopped broker {stopped.Host}:{stopped.Port}:\n{error}");
        Assert.Matches($@"^kmap: retrying {Regex.Escape($"{stopped.Host}:{stopped.Port}")} for up to \d+ s \(.+\)$", await error.Seen);
        Assert.True(seenAfter < TimeSpan.FromSeconds(10), $"the retrying line came after {seenAfter.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// Runs `kmap backup` against the brokers until the watched line appears on stderr, then stops it: waiting for the
    /// whole retry time is not the point. Says whether the line came before kmap ended, and after how long.
    /// </summary>
    private static async Task<(bool Seen, TimeSpan After)> BackupUntilSeenAsync(string brokers, WatchingWriter error)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var run = KmapApp.RunAsync(["backup", "--brokers", brokers, "-o", Path.Combine(Path.GetTempPath(), $"kmap-{Guid.NewGuid():N}.json")],
            new CliContext(new StringWriter(), error, _ => null), stop.Token);

        var first = await Task.WhenAny(error.Seen, run);
        var after = clock.Elapsed;
        await stop.CancelAsync();
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose once the line was seen.
        }
        return (first == error.Seen, after);
    }

    [Fact]
    public void A_bar_is_drawn_only_on_a_terminal_that_can_redraw_a_line()
    {
        Assert.True(CliContext.IsTerminal(errorRedirected: false, "xterm-256color"));
        Assert.True(CliContext.IsTerminal(errorRedirected: false, null));
        Assert.False(CliContext.IsTerminal(errorRedirected: true, "xterm-256color"));
        Assert.False(CliContext.IsTerminal(errorRedirected: false, "dumb"));
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>stderr that completes <see cref="Seen"/> with the first line containing a text, when it is written.</summary>
    private sealed class WatchingWriter(string text) : StringWriter(CultureInfo.InvariantCulture)
    {
        private readonly TaskCompletionSource<string> seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Seen => seen.Task;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }
            if (value is not null && value.Contains(text, StringComparison.Ordinal))
            {
                seen.TrySetResult(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
