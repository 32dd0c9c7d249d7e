using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Bench;

/// <summary>
/// `bench/run.sh map`: the cluster map (JSON + HTML) and `-topic-sizes` against `kmap backup` of the same loaded
/// sandbox, with the Go tool's sequential algorithm as the baseline. Target (issue 14): at 3,000 groups × 4
/// partitions over 5 ms links the map costs at most 2× the backup.
/// </summary>
internal static class MapBenchmark
{
    private const long MiB = 1024 * 1024;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var latency = TimeSpan.FromMilliseconds(5);
        await using var cluster = await BenchCluster.StartAsync(quick ? 300 : 3_000, 4, latency, brokers: 3);
        var go = await RunGoAlgorithmAsync(cluster);
        var backup = await RunKmapAsync(cluster, "kmap backup", path => ["backup", "--bootstrap-server", cluster.BootstrapServers, "--output", path], CheckBackup);
        // -lag-sample-interval 0: one lag sample, no idle wait (the Go tool's command line does not wait).
        var map = await RunKmapAsync(cluster, "kmap -output JSON -html HTML (map)", path =>
            ["-brokers", cluster.BootstrapServers, "-output", path, "-html", path + ".html", "-lag-sample-interval", "0"], CheckMap);
        var sizes = await RunKmapAsync(cluster, "kmap -topic-sizes -output JSON", path =>
            ["-brokers", cluster.BootstrapServers, "-topic-sizes", "-output", path, "-lag-sample-interval", "0"], CheckMap);
        var ratio = map.Run.Failure is null && backup.Run.Failure is null ? map.Run.Wall / backup.Run.Wall : double.NaN;
        var sizesRatio = sizes.Run.Failure is null && backup.Run.Failure is null ? sizes.Run.Wall / backup.Run.Wall : double.NaN;
        var met = ratio <= 2;
        string[][] rows =
        [
            Row(cluster, latency, go, go, backup.Run, ""),
            Row(cluster, latency, backup, go, backup.Run, ""),
            Row(cluster, latency, map, go, backup.Run, met ? "met (map ≤ 2× backup)" : "MISSED (map ≤ 2× backup)"),
            Row(cluster, latency, sizes, go, backup.Run, sizesRatio <= 2 ? "met (≤ 2× backup)" : "MISSED (≤ 2× backup)"),
        ];
        Table.Print(["client", "groups", "partitions", "latency", "wall", "round trips", "peak RSS", "baseline/this", "this/backup", "target"], rows);
        foreach (var (name, counts) in new[] { ("Go algorithm", go.ByApi), ("kmap backup", backup.ByApi), ("map", map.ByApi), ("topic sizes", sizes.ByApi) })
        {
            Console.WriteLine($"{name}: " + string.Join(", ", counts.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value:N0}")));
        }
        return met ? 0 : 1;
    }

    private sealed record Measured(BackupRun Run, IReadOnlyDictionary<ApiKey, long> ByApi);

    private static string[] Row(BenchCluster cluster, TimeSpan latency, Measured measured, Measured baseline, BackupRun backup, string target)
    {
        var run = measured.Run;
        var ok = run.Failure is null;
        return
        [
            run.Client,
            $"{cluster.Groups:N0}",
            $"{cluster.Offsets:N0}",
            $"{latency.TotalMilliseconds:N0} ms",
            ok ? $"{run.Wall.TotalSeconds:N2} s" : $"FAILED: {run.Failure}",
            $"{run.RoundTrips:N0}",
            run.PeakRssBytes is { } rss ? $"{rss / (double)MiB:N0} MiB" : "in-process",
            ok && baseline.Run.Failure is null ? $"{baseline.Run.Wall / run.Wall:N1}×" : "",
            ok && backup.Failure is null ? $"{run.Wall / backup.Wall:N2}" : "",
            target,
        ];
    }

    private static Dictionary<ApiKey, long> Difference(IReadOnlyDictionary<ApiKey, long> after, IReadOnlyDictionary<ApiKey, long> before) =>
        after.Select(a => (a.Key, Count: a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Count > 0).ToDictionary(a => a.Key, a => a.Count);

    private static async Task<Measured> RunKmapAsync(BenchCluster cluster, string client, Func<string, string[]> arguments, Func<string, BenchCluster, string?> check)
    {
        Console.Error.WriteLine($"bench: {client}: {cluster.Groups:N0} groups...");
        var path = Path.Combine(Path.GetTempPath(), $"kmap-mapbench-{Guid.NewGuid():N}.json");
        var before = cluster.Sandbox.State.Requests.Snapshot();
        var outcome = await ProcessRun.RunAsync(BenchPaths.Kmap, arguments(path), TimeSpan.FromMinutes(10));
        var byApi = Difference(cluster.Sandbox.State.Requests.Snapshot(), before);
        string? failure = outcome.ExitCode == 0 ? null : $"exit {outcome.ExitCode}: {outcome.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()}";
        if (failure is null)
        {
            failure = File.Exists(path) ? check(path, cluster) : "no file written";
        }
        File.Delete(path);
        File.Delete(path + ".html");
        return new Measured(new BackupRun(client, outcome.Wall, byApi.Values.Sum(), outcome.PeakRssBytes, cluster.Offsets, failure), byApi);
    }

    private static string? CheckBackup(string path, BenchCluster cluster)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var groups = document.RootElement.GetProperty("consumer_groups").GetArrayLength();
        return groups == cluster.Groups ? null : $"{groups:N0} of {cluster.Groups:N0} groups";
    }

    /// <summary>The map must hold every group with every committed offset (the JSON's field set is the writer's business).</summary>
    private static string? CheckMap(string path, BenchCluster cluster)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var groups = document.RootElement.GetProperty("consumer_groups");
        var count = 0L;
        foreach (var group in groups.EnumerateArray())
        {
            if (group.TryGetProperty("offsets", out var offsets) && offsets.ValueKind == JsonValueKind.Array)
            {
                count += offsets.GetArrayLength();
            }
        }
        return groups.GetArrayLength() != cluster.Groups ? $"{groups.GetArrayLength():N0} of {cluster.Groups:N0} groups"
            : count != cluster.Offsets ? $"{count:N0} of {cluster.Offsets:N0} offsets"
            : null;
    }

    /// <summary>
    /// The Go tool's map of the groups, reproduced: list groups on every broker, then for each group in turn find its
    /// coordinator, describe the group and fetch its offsets — three round trips per group, one at a time.
    /// </summary>
    private static async Task<Measured> RunGoAlgorithmAsync(BenchCluster cluster)
    {
        Console.Error.WriteLine($"bench: Go algorithm: map of {cluster.Groups:N0} groups...");
        var before = cluster.Sandbox.State.Requests.Snapshot();
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
                var coordinator = connections[found.NodeId];
                await coordinator.SendAsync<DescribeGroupsRequest, DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, true, new DescribeGroupsRequest([group], false));
                var fetched = await coordinator.SendAsync<OffsetFetchRequest, OffsetFetchResponse>(ApiKey.OffsetFetch, 7, true, new OffsetFetchRequest(group, null, [], false));
                var g = int.Parse(group["group-".Length..], CultureInfo.InvariantCulture);
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
        var byApi = Difference(cluster.Sandbox.State.Requests.Snapshot(), before);
        var run = new BackupRun("Go algorithm (C#, sequential: FindCoordinator, DescribeGroups, OffsetFetch per group)", clock.Elapsed, byApi.Values.Sum(), null, read,
            read == cluster.Offsets ? null : $"read {read:N0} of {cluster.Offsets:N0} offsets");
        return new Measured(run, byApi);
    }
}
