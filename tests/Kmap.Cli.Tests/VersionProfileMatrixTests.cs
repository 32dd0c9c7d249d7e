using System.Diagnostics;
using Kmap.Cli.Tests.Support;
using Kmap.Core.Backup;
using Kmap.Core.Model;
using Kmap.Sandbox;
using Kmap.Sandbox.Groups;

namespace Kmap.Cli.Tests;

/// <summary>
/// kmap's commands, run as the real process, against a sandbox speaking each Kafka release's API versions
/// (`kmap sandbox --kafka-version`): the backup with its restore script and map, the script run against a target
/// of the same release, restore --execute, verify, topic sizes and consumer-groups --list/--describe/--reset-offsets.
/// One source and one target per release, a few groups: each step must give exactly the cluster's offsets.
/// </summary>
public class VersionProfileMatrixTests(ITestOutputHelper output)
{
    private const int Groups = 3;
    private const int Partitions = 3;

    public static TheoryData<string> Profiles => ["2.8", "3.9", "4.1"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SandboxCluster> StartAsync(string kafkaVersion, bool seedGroups)
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 2, KafkaVersion = kafkaVersion }, cancellationToken: Ct);
        lock (sandbox.State.Sync)
        {
            var topic = sandbox.State.CreateTopic("orders", Partitions, 1);
            foreach (var partition in topic.Partitions)
            {
                // Offsets up to 1,000 are inside the log, so a restore may set them.
                partition.HighWatermark = 1_000;
            }
            if (seedGroups)
            {
                for (var g = 0; g < Groups; g++)
                {
                    sandbox.State.Groups.RestoreOffsets($"group-{g:D2}", "consumer",
                        [.. Enumerable.Range(0, Partitions).Select(p => new PartitionCommit("orders", p, (10 * g) + p + 1, -1, "", 0))]);
                }
            }
        }
        return sandbox;
    }

    /// <summary>Every committed offset of the cluster, as "group topic-partition offset" lines.</summary>
    private static SortedSet<string> Committed(SandboxCluster cluster)
    {
        lock (cluster.State.Sync)
        {
            return new SortedSet<string>(
                Enumerable.Range(0, Groups).Select(g => $"group-{g:D2}").SelectMany(group => cluster.State.Groups.Find(group) is { } found
                    ? found.Offsets.SelectMany(t => t.Value.Select(p => $"{group} {t.Key}-{p.Key} {p.Value.Offset}"))
                    : []),
                StringComparer.Ordinal);
        }
    }

    private static SortedSet<string> Lines(OffsetBackup backup) => new(
        backup.ConsumerGroups.SelectMany(g => g.Offsets.Select(o => $"{g.Group} {o.Topic}-{o.Partition} {o.Offset}")), StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Every_command_works_against_the_release(string kafkaVersion)
    {
        await using var source = await StartAsync(kafkaVersion, seedGroups: true);
        await using var target = await StartAsync(kafkaVersion, seedGroups: false);
        using var dir = new TempDirectory();
        var seeded = Committed(source);
        Assert.Equal(Groups * Partitions, seeded.Count);
        var clock = Stopwatch.StartNew();

        async Task<ProcessRunner.Result> Kmap(string step, params string[] args)
        {
            var started = clock.Elapsed;
            var run = await KmapBinary.RunAsync(dir.Path, null, args);
            output.WriteLine($"| {kafkaVersion} | {step} | exit {run.ExitCode} | {(clock.Elapsed - started).TotalSeconds:F1} s |");
            Assert.True(run.ExitCode == 0, $"Kafka {kafkaVersion}, {step}: {run}");
            return run;
        }

        // The Go tool's flags: backup, restore script and the cluster map in one run.
        await Kmap("backup + restore script + map", "-brokers", source.BootstrapServers, "-save-offsets", "saved.json", "-restore-offsets-script", "restore.sh", "-output", "map.json");
        Assert.Equal(seeded, Lines(OffsetBackupJson.Deserialize(await File.ReadAllTextAsync(dir.File("saved.json"), Ct))));
        Assert.Contains("group-02", await File.ReadAllTextAsync(dir.File("map.json"), Ct), StringComparison.Ordinal);

        var script = await ProcessRunner.RunAsync("bash", ["./restore.sh"], environment: new Dictionary<string, string?>
        {
            ["BOOTSTRAP_SERVERS"] = target.BootstrapServers,
            ["KAFKA_CONSUMER_GROUPS"] = null,
        }, workingDirectory: dir.Path);
        output.WriteLine($"| {kafkaVersion} | restore script on the target | exit {script.ExitCode} | |");
        Assert.True(script.ExitCode == 0, $"Kafka {kafkaVersion}, restore.sh: {script}");
        Assert.Equal(seeded, Committed(target));

        await Kmap("backup", "backup", "--brokers", source.BootstrapServers, "--no-timestamps", "-o", "backup.json");
        Assert.Equal(seeded, Lines(OffsetBackupJson.Deserialize(await File.ReadAllTextAsync(dir.File("backup.json"), Ct))));

        // Other offsets onto the target, then verify that the target holds them.
        var now = new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero);
        var moved = new OffsetBackup(now, source.BootstrapServers, [.. Enumerable.Range(0, Groups).Select(g =>
            new GroupOffsets($"group-{g:D2}", [.. Enumerable.Range(0, Partitions).Select(p => new BackedUpOffset("orders", p, 500 + (10 * g) + p))], now))]);
        await File.WriteAllTextAsync(dir.File("moved.json"), OffsetBackupJson.Serialize(moved), Ct);
        await Kmap("restore --execute", "restore", "--brokers", target.BootstrapServers, "--from", "moved.json", "--overwrite", "--execute");
        Assert.Equal(Lines(moved), Committed(target));
        await Kmap("verify", "verify", "--brokers", target.BootstrapServers, "--from", "moved.json");

        await Kmap("topic-sizes", "topic-sizes", "--bootstrap-server", source.BootstrapServers, "-o", "sizes.json");
        Assert.Contains("orders", await File.ReadAllTextAsync(dir.File("sizes.json"), Ct), StringComparison.Ordinal);

        var list = await Kmap("consumer-groups --list", "consumer-groups", "--bootstrap-server", source.BootstrapServers, "--list");
        Assert.Equal(["group-00", "group-01", "group-02"], list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
        var describe = await Kmap("consumer-groups --describe", "consumer-groups", "--bootstrap-server", source.BootstrapServers, "--describe", "--all-groups");
        Assert.Contains("group-01", describe.Stdout, StringComparison.Ordinal);
        await Kmap("consumer-groups --reset-offsets", "consumer-groups", "--bootstrap-server", source.BootstrapServers,
            "--reset-offsets", "--group", "group-00", "--topic", "orders", "--to-earliest", "--execute");
        Assert.All(Committed(source).Where(l => l.StartsWith("group-00 ", StringComparison.Ordinal)), l => Assert.EndsWith(" 0", l, StringComparison.Ordinal));
        output.WriteLine($"| {kafkaVersion} | all steps | | {clock.Elapsed.TotalSeconds:F1} s |");
    }
}
