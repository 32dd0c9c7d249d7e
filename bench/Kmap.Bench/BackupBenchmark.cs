using System.Diagnostics;
using System.Text.Json;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Bench;

/// <summary>One client's backup of a bench cluster: what it cost and whether it read every offset.</summary>
internal sealed record BackupRun(string Client, TimeSpan Wall, long RoundTrips, long? PeakRssBytes, long OffsetsRead, string? Failure);

/// <summary>
/// Backups of the same loaded sandbox by kmap and by the usual clients, in one session, so ratios
/// compare like with like. Targets (issue 7): 3,000 groups × 4 partitions at 5 ms, kmap ≥ 20× faster
/// than the sequential kafka-python client with peak RSS ≤ 300 MiB; 20,000 groups × 10 at 2 ms ≤ 5 s.
/// </summary>
internal static class BackupBenchmark
{
    private const long MiB = 1024 * 1024;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var rows = new List<string[]>();
        var missed = false;

        // 3,000 × 4 at 5 ms: kmap against every baseline.
        {
            await using var cluster = await BenchCluster.StartAsync(quick ? 300 : 3_000, 4, TimeSpan.FromMilliseconds(5), brokers: 3);
            var kmap = await RunKmapAsync(cluster);
            var python = await RunScriptAsync(cluster, "kafka-python (sequential)", "/usr/bin/python3", Path.Combine(BenchPaths.Baselines, "kafka_python_backup.py"));
            var kafkajs = await RunScriptAsync(cluster, "kafkajs fetchOffsets (sequential)", "node", Path.Combine(BenchPaths.Baselines, "kafkajs_backup.js"));
            var go = await RunGoAlgorithmAsync(cluster);
            var speedup = python.Failure is null && kmap.Failure is null ? python.Wall / kmap.Wall : 0;
            var met = speedup >= 20 && kmap.PeakRssBytes is <= 300 * MiB && kmap.OffsetsRead == cluster.Offsets;
            missed |= !met;
            foreach (var run in new[] { kmap, python, kafkajs, go })
            {
                rows.Add(Row(cluster, TimeSpan.FromMilliseconds(5), run, kmap, run == kmap ? Check(met, $"≥ 20× kafka-python ({speedup:N1}×), RSS ≤ 300 MiB") : ""));
            }
        }

        // 20,000 × 10 at 2 ms: kmap alone (the sequential clients take minutes here: 2 round trips per group).
        {
            await using var cluster = await BenchCluster.StartAsync(quick ? 2_000 : 20_000, 10, TimeSpan.FromMilliseconds(2), brokers: 3);
            var kmap = await RunKmapAsync(cluster);
            var met = kmap.Wall <= TimeSpan.FromSeconds(5) && kmap.OffsetsRead == cluster.Offsets;
            missed |= !met;
            rows.Add(Row(cluster, TimeSpan.FromMilliseconds(2), kmap, kmap, Check(met, "≤ 5 s")));
        }

        var restore = args.Contains("--no-restore") ? (Exit: 0, Rows: new List<string[]>()) : await RestoreBenchmark.RunAsync(args);
        rows.AddRange(restore.Rows);
        missed |= restore.Exit != 0;

        Table.Print(["client", "groups", "partitions", "latency", "wall", "round trips", "peak RSS", "kmap/this", "target"], rows);
        return missed ? 1 : 0;
    }

    private static string[] Row(BenchCluster cluster, TimeSpan latency, BackupRun run, BackupRun kmap, string target) =>
    [
        run.Client,
        $"{cluster.Groups:N0}",
        $"{cluster.Offsets:N0}",
        $"{latency.TotalMilliseconds:N0} ms",
        run.Failure is null ? $"{run.Wall.TotalSeconds:N2} s" : $"FAILED: {run.Failure}",
        $"{run.RoundTrips:N0}",
        run.PeakRssBytes is { } rss ? $"{rss / (double)MiB:N0} MiB" : "in-process",
        run.Failure is null && kmap.Failure is null ? $"{kmap.Wall / run.Wall:N3}" : "",
        target,
    ];

    private static string Check(bool met, string target) => met ? $"met ({target})" : $"MISSED ({target})";

    public static async Task<BackupRun> RunKmapAsync(BenchCluster cluster)
    {
        var output = Path.Combine(Path.GetTempPath(), $"kmap-bench-{Guid.NewGuid():N}.json");
        return await MeasureProcessAsync(cluster, "kmap", BenchPaths.Kmap, ["-brokers", cluster.BootstrapServers, "-save-offsets", output], output);
    }

    private static Task<BackupRun> RunScriptAsync(BenchCluster cluster, string client, string interpreter, string script)
    {
        var output = Path.Combine(Path.GetTempPath(), $"kmap-bench-{Guid.NewGuid():N}.json");
        return MeasureProcessAsync(cluster, client, interpreter, [script, cluster.BootstrapServers, output], output);
    }

    private static async Task<BackupRun> MeasureProcessAsync(BenchCluster cluster, string client, string file, string[] arguments, string output)
    {
        Console.Error.WriteLine($"bench: {client}: backup of {cluster.Groups:N0} groups...");
        var before = cluster.Sandbox.State.Requests.Total;
        ProcessOutcome outcome;
        try
        {
            outcome = await ProcessRun.RunAsync(file, arguments, TimeSpan.FromMinutes(10));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new BackupRun(client, TimeSpan.Zero, 0, null, 0, $"cannot start {file}: {e.Message}");
        }
        var roundTrips = cluster.Sandbox.State.Requests.Total - before;
        string? failure = outcome.ExitCode == 0 ? null : $"exit {outcome.ExitCode}: {LastLine(outcome.StandardError)}";
        var read = 0L;
        if (File.Exists(output))
        {
            read = CountOffsets(output);
            File.Delete(output);
        }
        if (failure is null && read != cluster.Offsets)
        {
            failure = $"read {read:N0} of {cluster.Offsets:N0} offsets";
        }
        return new BackupRun(client, outcome.Wall, roundTrips, outcome.PeakRssBytes, read, failure);
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    /// <summary>Counts offsets in a backup of kmap's (or the baselines') shape, checking each value.</summary>
    private static long CountOffsets(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var count = 0L;
        foreach (var group in document.RootElement.GetProperty("consumer_groups").EnumerateArray())
        {
            var g = int.Parse(group.GetProperty("group").GetString()!["group-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            foreach (var topic in group.GetProperty("topics").EnumerateObject())
            {
                foreach (var p in topic.Value.EnumerateArray())
                {
                    if (p.GetProperty("offset").GetInt64() == BenchCluster.OffsetOf(g, p.GetProperty("partition").GetInt32()))
                    {
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /// <summary>
    /// The Go tool's algorithm, reproduced: list groups on every broker, then for each group in turn
    /// find its coordinator and fetch its offsets — two round trips per group, one at a time.
    /// </summary>
    public static async Task<BackupRun> RunGoAlgorithmAsync(BenchCluster cluster)
    {
        Console.Error.WriteLine($"bench: Go algorithm: backup of {cluster.Groups:N0} groups...");
        var before = cluster.Sandbox.State.Requests.Total;
        var clock = Stopwatch.StartNew();
        var connections = await cluster.ConnectAllAsync();
        var read = 0L;
        try
        {
            var groups = await BenchCluster.ListGroupsOneBrokerAtATimeAsync(connections);
            var bootstrap = connections.Values.First();
            foreach (var group in groups)
            {
                var found = await bootstrap.SendAsync<FindCoordinatorRequest, FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, true, new FindCoordinatorRequest(group, 0, []));
                var fetched = await connections[found.NodeId].SendAsync<OffsetFetchRequest, OffsetFetchResponse>(ApiKey.OffsetFetch, 7, true, new OffsetFetchRequest(group, null, [], false));
                var g = int.Parse(group["group-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                read += fetched.Topics.SelectMany(t => t.Partitions).Count(p => p.CommittedOffset == BenchCluster.OffsetOf(g, p.PartitionIndex));
            }
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }
        clock.Stop();
        var roundTrips = cluster.Sandbox.State.Requests.Total - before;
        return new BackupRun("Go algorithm (C#, sequential)", clock.Elapsed, roundTrips, null, read, read == cluster.Offsets ? null : $"read {read:N0} of {cluster.Offsets:N0} offsets");
    }
}
