using System.Globalization;

namespace Kmap.Bench;

/// <summary>
/// How a backup's cost grows with groups and latency: kmap at 1,000–20,000 groups and the Go tool's
/// sequential algorithm at 300 groups (its cost is linear in groups: 2 round trips each), at 1, 5 and
/// 10 ms. Writes docs/performance.dat and renders docs/performance.png with gnuplot when it is installed.
/// </summary>
internal static class SweepBenchmark
{
    private static readonly int[] Latencies = [1, 5, 10];
    private static readonly int[] GroupCounts = [1_000, 5_000, 20_000];
    private const int SequentialGroups = 300;

    public static async Task<int> RunAsync()
    {
        var lines = new List<string> { "# latency_ms groups kmap_s kmap_round_trips sequential_s_per_group" };
        var rows = new List<string[]>();
        foreach (var latency in Latencies)
        {
            double perGroup;
            await using (var small = await BenchCluster.StartAsync(SequentialGroups, 10, TimeSpan.FromMilliseconds(latency), brokers: 3))
            {
                var go = await BackupBenchmark.RunGoAlgorithmAsync(small);
                perGroup = go.Wall.TotalSeconds / SequentialGroups;
            }
            foreach (var groups in GroupCounts)
            {
                await using var cluster = await BenchCluster.StartAsync(groups, 10, TimeSpan.FromMilliseconds(latency), brokers: 3);
                var kmap = await BackupBenchmark.RunKmapAsync(cluster);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{latency} {groups} {kmap.Wall.TotalSeconds:F3} {kmap.RoundTrips} {perGroup:F5}"));
                rows.Add([$"{latency} ms", $"{groups:N0}", kmap.Failure ?? $"{kmap.Wall.TotalSeconds:N2} s", $"{kmap.RoundTrips:N0}", $"{perGroup * groups:N1} s (extrapolated from {SequentialGroups})"]);
            }
            lines.Add("");
            lines.Add("");
        }
        var docs = Path.Combine(BenchPaths.Root, "docs");
        var data = Path.Combine(docs, "performance.dat");
        await File.WriteAllLinesAsync(data, lines);
        Table.Print(["latency", "groups × 10 partitions", "kmap wall", "kmap round trips", "sequential (Go algorithm)"], rows);
        try
        {
            var plot = await ProcessRun.RunAsync("gnuplot", ["-e", $"dir='{docs}'", Path.Combine(docs, "performance.gp")], TimeSpan.FromMinutes(1));
            Console.Error.WriteLine(plot.ExitCode == 0 ? "bench: rendered docs/performance.png" : $"bench: gnuplot failed: {plot.StandardError}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine("bench: gnuplot is not installed; docs/performance.dat is written, the plot is not");
        }
        return 0;
    }
}
