using System.Net.Sockets;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>Issue 17, item 5: advice that fits where it is read, and a sandbox that ends with its reader.</summary>
public class SmallTruthsTests
{
    [Fact]
    public async Task A_dry_run_of_the_restore_script_advises_running_it_without_DRY_RUN_not_adding_execute()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(cluster.BootstrapServers, "orders", 1, 5);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "billing", ("orders", 0, 3));
        using var dir = new TempDirectory();
        var backup = await KmapBinary.RunAsync(dir.Path, null, "-brokers", cluster.BootstrapServers, "-restore-offsets-script", "restore-offsets.sh");
        Assert.True(backup.ExitCode == 0, backup.ToString());

        var dryRun = await ProcessRunner.RunAsync("bash", ["./restore-offsets.sh"], workingDirectory: dir.Path,
            environment: new Dictionary<string, string?> { ["DRY_RUN"] = "1", ["KAFKA_CONSUMER_GROUPS"] = null, ["BOOTSTRAP_SERVERS"] = null });

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("dry run: nothing changed (run restore-offsets.sh without DRY_RUN=1 or --dry-run to apply this plan)", dryRun.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--execute", dryRun.Stdout.Replace("(--execute)", "", StringComparison.Ordinal), StringComparison.Ordinal);
        // The command on its own still gives its own advice.
        var direct = await CliRun.RunAsync("consumer-groups", "-b", cluster.BootstrapServers, "--group", "billing", "--reset-offsets", "--to-earliest", "--all-topics");
        Assert.Contains("(add --execute to apply this plan)", direct.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_mm2_without_a_source_alias_names_the_restore_commands_help()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(cluster.BootstrapServers, "orders", 1, 5);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "billing", ("orders", 0, 3));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        Assert.Equal(0, (await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file)).ExitCode);

        var restore = await CliRun.RunAsync("restore", "--brokers", cluster.BootstrapServers, "--from", file, "--translate", "mm2");

        Assert.Equal(2, restore.ExitCode);
        Assert.Contains("--translate mm2 needs --source-alias", restore.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'kmap restore --help' for usage.\n", restore.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("<command>", restore.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sandbox_exits_0_when_its_stdin_closes()
    {
        using var process = KmapProcess.Start("sandbox", "--exit-on-stdin-close");
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var bootstrap = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.NotNull(bootstrap);
        var port = int.Parse(bootstrap[(bootstrap.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
        }
        Assert.False(process.HasExited);

        process.StandardInput.Close();

        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("standard input closed", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_documented_one_liner_runs_kcat_against_a_sandbox_and_leaves_nothing_running()
    {
        // The README's line, with the built binary for ./kmap; `wait` returns only once the sandbox has exited.
        var line = $"coproc SB {{ '{KmapBinary.Path}' sandbox --exit-on-stdin-close; }}; pid=$SB_PID; read -r B <&\"${{SB[0]}}\"; kcat -b \"$B\" -L; exec {{SB[1]}}>&-; wait $pid; echo \"sandbox exit $?\"";
        var run = await ProcessRunner.RunAsync("timeout", ["120", "bash", "-c", line]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("1 brokers:", run.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("sandbox exit 0\n", run.Stdout, StringComparison.Ordinal);
    }
}
