using System.Globalization;
using System.Text;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Core.Scripts;
using Kmap.Kafka;

namespace Kmap.Bench;

/// <summary>
/// Restores through kmap's own command lines, each run as its own process on a loaded sandbox, then every
/// group read back by the bench and compared with what was asked:
/// - `kmap restore --execute` of 20,000 groups × 10 partitions at 2 ms (target ≤ 10 s wall, with verification);
/// - `kmap consumer-groups --reset-offsets --all-groups --from-file F --execute`, one call with Kafka's
///   multi-group CSV for every group, at 3,000 × 4 (5 ms) and 20,000 × 10 (2 ms);
/// - the generated restore script with `--batch` (500 groups per call, kmap as the tool), the same sizes.
/// </summary>
internal static class RestoreBenchmark
{
    private const long MiB = 1024 * 1024;

    public static async Task<(int Exit, List<string[]> Rows)> RunAsync(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var rows = new List<string[]>();
        var missed = false;

        {
            var latency = TimeSpan.FromMilliseconds(5);
            await using var cluster = await BenchCluster.StartAsync(quick ? 300 : 3_000, 4, latency, brokers: 3, withRecords: true);
            var batch = await RunConsumerGroupsAsync(cluster, variant: 1);
            missed |= batch.Failure is not null;
            rows.Add(Row(cluster, latency, batch, Verified(cluster, batch)));
            var script = await RunScriptAsync(cluster, variant: 2);
            missed |= script.Failure is not null;
            rows.Add(Row(cluster, latency, script, Verified(cluster, script)));
        }
        {
            var latency = TimeSpan.FromMilliseconds(2);
            await using var cluster = await BenchCluster.StartAsync(quick ? 2_000 : 20_000, 10, latency, brokers: 3, withRecords: true);
            var plan = await RunRestoreAsync(cluster, variant: 0, execute: false);
            rows.Add(Row(cluster, latency, plan, plan.Failure is null ? "(plan only: reads and prints, writes nothing)" : "FAILED"));
            missed |= plan.Failure is not null;
            var restore = await RunRestoreAsync(cluster, variant: 0, execute: true);
            var met = restore.Failure is null && restore.Wall <= TimeSpan.FromSeconds(10);
            missed |= !met;
            rows.Add(Row(cluster, latency, restore, (met ? "met" : "MISSED") + " (≤ 10 s, " + Verified(cluster, restore) + ")"));
            var batch = await RunConsumerGroupsAsync(cluster, variant: 1);
            missed |= batch.Failure is not null;
            rows.Add(Row(cluster, latency, batch, Verified(cluster, batch)));
            var script = await RunScriptAsync(cluster, variant: 2);
            missed |= script.Failure is not null;
            rows.Add(Row(cluster, latency, script, Verified(cluster, script)));
        }
        return (missed ? 1 : 0, rows);
    }

    private static string Verified(BenchCluster cluster, BackupRun run) =>
        run.Failure is null ? $"{run.OffsetsRead:N0}/{cluster.Offsets:N0} verified" : "FAILED";

    private static string[] Row(BenchCluster cluster, TimeSpan latency, BackupRun run, string target) =>
    [
        run.Client,
        $"{cluster.Groups:N0}",
        $"{cluster.Offsets:N0}",
        $"{latency.TotalMilliseconds:N0} ms",
        run.Failure is null ? $"{run.Wall.TotalSeconds:N2} s" : $"FAILED: {run.Failure}",
        $"{run.RoundTrips:N0}",
        run.PeakRssBytes is { } rss ? $"{rss / (double)MiB:N0} MiB" : "(several processes)",
        "",
        target,
    ];

    /// <summary>`kmap restore --execute` from a backup file whose offsets differ from the cluster's.</summary>
    private static async Task<BackupRun> RunRestoreAsync(BenchCluster cluster, int variant, bool execute)
    {
        using var work = new WorkDirectory();
        var backupFile = Path.Combine(work.Path, "offsets.json");
        await using (var stream = File.Create(backupFile))
        {
            OffsetBackupJson.Write(stream, Backup(cluster, variant));
        }
        string[] arguments = ["restore", "--brokers", cluster.BootstrapServers, "--from", backupFile, "--translate", "offset", "--overwrite",
            "--rollback-file", Path.Combine(work.Path, "rollback.json")];
        return execute
            ? await MeasureAsync(cluster, "kmap restore --execute (process, default 32 groups in flight, read back)", variant, BenchPaths.Kmap, [.. arguments, "--execute"])
            : await MeasureAsync(cluster, "kmap restore (plan only)", null, BenchPaths.Kmap, arguments);
    }

    /// <summary>A backup of every group of the cluster holding the restore offsets of <paramref name="variant"/>.</summary>
    private static OffsetBackup Backup(BenchCluster cluster, int variant)
    {
        var now = DateTimeOffset.UtcNow;
        var groups = Enumerable.Range(0, cluster.Groups).Select(g => new GroupOffsets(BenchCluster.GroupName(g),
            Enumerable.Range(0, cluster.Partitions).Select(p => new BackedUpOffset(BenchCluster.TopicName(g % BenchCluster.Topics), p, BenchCluster.RestoredOffsetOf(g, p, variant))
            {
                LogStartOffset = 0,
                LogEndOffset = BenchCluster.RecordsPerPartition,
            }).ToList(), now)).ToList();
        return new OffsetBackup(now, cluster.BootstrapServers, groups) { ClusterId = cluster.Sandbox.State.ClusterId };
    }

    /// <summary>
    /// The restore script kmap generates, run with --batch: kmap (the script's fallback tool when Kafka's is not on
    /// PATH) is called once per 500 groups. Peak RSS is bash's alone, so the row leaves it out.
    /// </summary>
    private static async Task<BackupRun> RunScriptAsync(BenchCluster cluster, int variant)
    {
        using var work = new WorkDirectory();
        var script = Path.Combine(work.Path, "restore-offsets.sh");
        await File.WriteAllTextAsync(script, RestoreScriptWriter.Write(Backup(cluster, variant), new RestoreScriptOptions { KmapPath = BenchPaths.Kmap, KmapVersion = "bench" }));
        var run = await MeasureAsync(cluster, $"restore-offsets.sh --batch ({(cluster.Groups + 499) / 500} kmap consumer-groups calls)", variant, "bash", [script, "--batch"]);
        return run with { PeakRssBytes = null };
    }

    /// <summary>One `kmap consumer-groups` call for every group with Kafka's multi-group CSV.</summary>
    private static async Task<BackupRun> RunConsumerGroupsAsync(BenchCluster cluster, int variant)
    {
        using var work = new WorkDirectory();
        var csvFile = Path.Combine(work.Path, "offsets.csv");
        var csv = new StringBuilder();
        for (var g = 0; g < cluster.Groups; g++)
        {
            for (var p = 0; p < cluster.Partitions; p++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{BenchCluster.GroupName(g)},{BenchCluster.TopicName(g % BenchCluster.Topics)},{p},{BenchCluster.RestoredOffsetOf(g, p, variant)}\n");
            }
        }
        await File.WriteAllTextAsync(csvFile, csv.ToString());
        return await MeasureAsync(cluster, "kmap consumer-groups --reset-offsets --all-groups --from-file (one call)", variant, BenchPaths.Kmap,
            ["consumer-groups", "--bootstrap-server", cluster.BootstrapServers, "--all-groups", "--reset-offsets", "--from-file", csvFile, "--execute"]);
    }

    /// <summary>Runs kmap with the arguments; then, unless <paramref name="variant"/> is null (nothing written), reads every group back.</summary>
    private static async Task<BackupRun> MeasureAsync(BenchCluster cluster, string client, int? variant, string file, string[] arguments)
    {
        Console.Error.WriteLine($"bench: {client}: {cluster.Groups:N0} groups...");
        var before = cluster.Sandbox.State.Requests.Total;
        var byApi = cluster.Sandbox.State.Requests.Snapshot();
        var outcome = await ProcessRun.RunAsync(file, arguments, TimeSpan.FromMinutes(10));
        var roundTrips = cluster.Sandbox.State.Requests.Total - before;
        // Where the round trips went, per API key (stderr: the table stays pasteable).
        Console.Error.WriteLine($"bench:   round trips: " + string.Join(", ", cluster.Sandbox.State.Requests.Snapshot()
            .Select(k => (k.Key, Count: k.Value - byApi.GetValueOrDefault(k.Key))).Where(k => k.Count > 0).OrderByDescending(k => k.Count).Select(k => $"{k.Key} {k.Count:N0}")));
        var verified = variant is { } v ? await VerifyAsync(cluster, v) : cluster.Offsets;
        string? failure = outcome.ExitCode != 0 ? $"exit {outcome.ExitCode}: {LastLine(outcome.StandardError)}"
            : verified != cluster.Offsets ? $"read back {verified:N0} of {cluster.Offsets:N0} offsets as restored"
            : null;
        return new BackupRun(client, outcome.Wall, roundTrips, outcome.PeakRssBytes, verified, failure);
    }

    /// <summary>Reads every group back (multi-group OffsetFetch) and counts the offsets that are what the run wrote.</summary>
    private static async Task<long> VerifyAsync(BenchCluster cluster, int variant)
    {
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = cluster.BootstrapServers });
        var names = Enumerable.Range(0, cluster.Groups).Select(BenchCluster.GroupName).ToList();
        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(names, null, CancellationToken.None)
            ?? throw new InvalidOperationException("the sandbox should allow multi-group OffsetFetch");
        var verified = 0L;
        for (var g = 0; g < cluster.Groups; g++)
        {
            if (answers.TryGetValue(BenchCluster.GroupName(g), out var answer) && answer.Offsets is { } offsets)
            {
                verified += offsets.Count(o => o.Offset == BenchCluster.RestoredOffsetOf(g, o.Partition, variant));
            }
        }
        return verified;
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    /// <summary>A temporary directory for a run's input files, removed afterwards.</summary>
    private sealed class WorkDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("kmap-bench-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
