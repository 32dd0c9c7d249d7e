using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Kafka;

namespace Kmap.Bench;

/// <summary>
/// `kmap sync` as its own process between two sandboxes with 2 ms links: the source with 20,000 groups × 10 partitions
/// inside the log, the target with the same topics and records and no groups. Between rounds the bench moves 1% of the
/// source's groups on, so every round writes some. Measured: each round's time (from its "took" line; goal ≤ 5 s) and
/// the process's resident memory after each round (goal: flat over 100 rounds: the highest of the last 10 rounds no
/// more than 10% above the highest of rounds 11-20).
/// </summary>
internal static partial class SyncBenchmark
{
    private const long MiB = 1024 * 1024;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var groups = quick ? 2_000 : 20_000;
        var rounds = quick ? 12 : 100;
        var latency = TimeSpan.FromMilliseconds(2);
        Console.Error.WriteLine($"bench: sync: loading two clusters, {groups:N0} groups x 10 on the source...");
        await using var source = await BenchCluster.StartAsync(groups, 10, latency, brokers: 3, withRecords: true, offsetOf: (g, p) => InLog(g, p, 0));
        await using var target = await BenchCluster.StartAsync(0, 10, latency, brokers: 3, withRecords: true);

        var start = new ProcessStartInfo(BenchPaths.Kmap) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["sync", "--source-brokers", source.BootstrapServers, "--target-brokers", target.BootstrapServers,
            "--translate", "offset", "--interval", "100ms"])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start kmap");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var times = new List<double>();
        var rss = new List<long>();
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = source.BootstrapServers });
        string? failure = null;
        while (times.Count < rounds)
        {
            var line = await process.StandardError.ReadLineAsync();
            if (line is null)
            {
                failure = "kmap sync ended";
                break;
            }
            if (RoundFailed().IsMatch(line))
            {
                failure = line;
                Console.Error.WriteLine($"bench: {line}");
                continue;
            }
            if (RoundLine().Match(line) is not { Success: true } match)
            {
                continue;
            }
            times.Add(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            rss.Add(ReadRss(process.Id));
            if (times.Count % 10 == 1)
            {
                Console.Error.WriteLine($"bench: {line} (RSS {rss[^1] / (double)MiB:N0} MiB)");
            }
            // 1% of the groups move on (one record forward; each group once in 100 rounds) before the next round: it has
            // something to write, and the work of every round is the same.
            var moved = Enumerable.Range(0, groups / 100).Select(i => (i * 100 + times.Count) % groups).ToList();
            await Parallel.ForEachAsync(moved, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (g, ct) =>
                await admin.AlterOffsetsAsync(BenchCluster.GroupName(g),
                    Enumerable.Range(0, 10).Select(p => new CommittedOffset(BenchCluster.TopicName(g % BenchCluster.Topics), p, InLog(g, p, 0) + 1)).ToList(), ct));
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        await stdout;

        var steady = times.Skip(1).ToList();
        // Resident memory moves with each collection: compare the highest of rounds 11-20 with the highest of the last 10.
        var tenth = rss.Count >= 20 ? rss.Skip(10).Take(10).Max() : rss.LastOrDefault();
        var last = rss.Count >= 20 ? rss.TakeLast(10).Max() : rss.LastOrDefault();
        var fast = steady.Count > 0 && steady.Max() <= 5.0;
        var flat = last <= tenth * 1.1;
        Table.Print(["client", "groups", "partitions", "latency", "rounds", "first round", "later rounds (median / max)", "RSS max rounds 11-20 → last 10", "target"],
        [
            [
                "kmap sync (process, 1% of groups moved per round)",
                $"{groups:N0}", $"{groups * 10L:N0}", "2 ms", $"{times.Count}",
                times.Count > 0 ? $"{times[0]:N2} s" : "-",
                steady.Count > 0 ? $"{Median(steady):N2} s / {steady.Max():N2} s" : "-",
                $"{tenth / (double)MiB:N0} → {last / (double)MiB:N0} MiB",
                failure is not null ? $"FAILED: {failure}" : $"{(fast ? "met" : "MISSED")} (≤ 5 s/round), {(flat ? "met" : "MISSED")} (memory flat)",
            ],
        ]);
        return failure is null && fast && flat ? 0 : 1;
    }

    /// <summary>A committed offset inside the 50-record log (1-49), different for each step.</summary>
    private static long InLog(int group, int partition, int step) => ((group + (3L * partition) + step) % (BenchCluster.RecordsPerPartition - 1)) + 1;

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static long ReadRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    [GeneratedRegex(@"^kmap: round \d+: .* took ([0-9.]+) s")]
    private static partial Regex RoundLine();

    [GeneratedRegex(@"^kmap: round \d+ failed: ")]
    private static partial Regex RoundFailed();
}
