using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Compat;

/// <summary>The guide's quick start, end to end: backup on sandbox A, the script restores into sandbox B, kafka-python reads the offsets back.</summary>
public class QuickStartTests
{
    private const string Hostile = "$(rm -rf ~) 'quoted' \"double\" ünïcødé";

    [Fact]
    public async Task Backup_on_one_cluster_and_the_generated_script_restores_the_same_offsets_on_another()
    {
        await using var source = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        foreach (var cluster in new[] { source.BootstrapServers, target.BootstrapServers })
        {
            await KafkaPython.ProduceAsync(cluster, "orders", 2, 20);
            await KafkaPython.ProduceAsync(cluster, "payments", 1, 5);
        }
        await KafkaPython.CommitAsync(source.BootstrapServers, "my-consumer-group", ("orders", 0, 12), ("orders", 1, 7), ("payments", 0, 5));
        await KafkaPython.CommitAsync(source.BootstrapServers, Hostile, ("orders", 1, 3));
        using var dir = new TempDirectory();
        var home = Directory.CreateDirectory(dir.File("home")).FullName;
        File.WriteAllText(Path.Combine(home, "canary"), "x");
        var work = Directory.CreateDirectory(dir.File("work")).FullName;

        var backup = await KmapBinary.RunAsync(work, null,
            "-brokers", source.BootstrapServers, "-save-offsets", "consumer-offsets.json", "-restore-offsets-script", "restore-offsets.sh");

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Equal(["consumer-offsets.json", "restore-offsets.sh"], Directory.GetFileSystemEntries(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("backed up 2 consumer group(s), 4 partition offset(s)", backup.Stderr, StringComparison.Ordinal);
        var jq = await ProcessRunner.RunAsync("jq", ["-c", "{cluster, total_groups: (.consumer_groups | length)}", Path.Combine(work, "consumer-offsets.json")]);
        Assert.Equal($"{{\"cluster\":\"{source.BootstrapServers}\",\"total_groups\":2}}\n", jq.Stdout);

        var restore = await ProcessRunner.RunAsync("bash", ["./restore-offsets.sh"], workingDirectory: work,
            environment: new Dictionary<string, string?> { ["BOOTSTRAP_SERVERS"] = target.BootstrapServers, ["HOME"] = home, ["KAFKA_CONSUMER_GROUPS"] = null });

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("2 of 2 group(s) restored, 0 failed", restore.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(home, "canary")));
        var main = await KafkaPython.CommittedAsync(target.BootstrapServers, "my-consumer-group", "orders:0", "orders:1", "payments:0");
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 12, ["orders:1"] = 7, ["payments:0"] = 5 }, main);
        var hostile = await KafkaPython.CommittedAsync(target.BootstrapServers, Hostile, "orders:0", "orders:1");
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = null, ["orders:1"] = 3 }, hostile);
    }

    [Fact]
    public async Task A_group_with_live_members_is_warned_about_at_backup_and_reported_failed_by_the_script()
    {
        await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(cluster.BootstrapServers, "orders", 1, 5);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "idle", ("orders", 0, 2));
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "busy", ("orders", 0, 4));
        await using var member = new KcatConsumer(cluster.BootstrapServers, "busy", "orders");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await CliRun.RunAsync("consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--list", "--state", "Stable")).Stdout.Contains("busy", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the kcat member never joined");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        using var dir = new TempDirectory();

        var backup = await KmapBinary.RunAsync(dir.Path, null, "-brokers", cluster.BootstrapServers, "-restore-offsets-script", "restore.sh");
        var restore = await ProcessRunner.RunAsync("bash", ["./restore.sh"], workingDirectory: dir.Path,
            environment: new Dictionary<string, string?> { ["KAFKA_CONSUMER_GROUPS"] = null, ["BOOTSTRAP_SERVERS"] = null });

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("busy (Stable, 1 member(s))", backup.Stderr, StringComparison.Ordinal);
        Assert.Equal(["restore.sh"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        Assert.Equal(3, restore.ExitCode);
        Assert.Contains("Error: Assignments can only be reset if the group 'busy' is inactive, but the current state is Stable.", restore.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 2 group(s) restored, 1 failed", restore.Stdout, StringComparison.Ordinal);
        Assert.Contains("Failed groups:\n  busy\n", restore.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_and_help_in_the_go_spelling()
    {
        var stdout = new StringWriter();
        var context = new CliContext(stdout, new StringWriter(), _ => null);

        Assert.Equal(0, await KmapApp.RunAsync(["-version"], context, TestContext.Current.CancellationToken));
        Assert.Equal(0, await KmapApp.RunAsync(["-help"], context, TestContext.Current.CancellationToken));

        Assert.StartsWith($"kmap {KmapApp.Version}\n", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("-restore-offsets-script restore-offsets.sh", stdout.ToString(), StringComparison.Ordinal);
    }
}
