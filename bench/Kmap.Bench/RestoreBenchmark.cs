using System.Diagnostics;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Core.Restore;
using Kmap.Kafka;

namespace Kmap.Bench;

/// <summary>
/// Restore of 20,000 groups × 10 partitions at 2 ms, then verification (every group's offsets read
/// back and compared). Measured through <see cref="ResetExecutor"/>, the executor behind
/// `kmap consumer-groups --reset-offsets --execute`, with a plan built straight from the backup's
/// offsets, as a direct restore does (the `kmap restore` command is issue 5's). Target: ≤ 10 s.
/// </summary>
internal static class RestoreBenchmark
{
    public static async Task<(int Exit, List<string[]> Rows)> RunAsync(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var latency = TimeSpan.FromMilliseconds(2);
        await using var cluster = await BenchCluster.StartAsync(quick ? 2_000 : 20_000, 10, latency, brokers: 3);
        Console.Error.WriteLine($"bench: kmap restore (executor) of {cluster.Groups:N0} groups...");
        // Restore offsets that differ from what is committed, so verification sees the restore, not the load.
        static long Restored(int g, int p) => BenchCluster.OffsetOf(g, p) + 7;
        var plan = new ResetPlan(Enumerable.Range(0, cluster.Groups).Select(g => new GroupResetPlan(BenchCluster.GroupName(g), GroupState.Empty,
            Enumerable.Range(0, cluster.Partitions).Select(p => new PlannedOffset(BenchCluster.TopicName(g % BenchCluster.Topics), p, Restored(g, p))).ToList())).ToList());

        var before = cluster.Sandbox.State.Requests.Total;
        var clock = Stopwatch.StartNew();
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = cluster.BootstrapServers });
        var applied = await new ResetExecutor(admin) { MaxConcurrency = 64 }.ApplyAsync(plan, CancellationToken.None);
        var applyTime = clock.Elapsed;
        var failed = applied.Count(a => a.Error is not null || a.Partitions.Any(p => p.Error is not null));

        // Verification: read every group back (multi-group OffsetFetch) and compare with the plan.
        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(plan.Groups.Select(g => g.Group).ToList(), null, CancellationToken.None)
            ?? throw new InvalidOperationException("the sandbox should allow multi-group OffsetFetch");
        var verified = 0L;
        for (var g = 0; g < cluster.Groups; g++)
        {
            if (answers.TryGetValue(BenchCluster.GroupName(g), out var answer) && answer.Offsets is { } offsets)
            {
                verified += offsets.Count(o => o.Offset == Restored(g, o.Partition));
            }
        }
        clock.Stop();
        var roundTrips = cluster.Sandbox.State.Requests.Total - before;
        var met = clock.Elapsed <= TimeSpan.FromSeconds(10) && failed == 0 && verified == cluster.Offsets;
        var rows = new List<string[]>
        {
            new[]
            {
                "kmap restore + verify (ResetExecutor, 64 in flight)", $"{cluster.Groups:N0}", $"{cluster.Offsets:N0}", $"{latency.TotalMilliseconds:N0} ms",
                $"{clock.Elapsed.TotalSeconds:N2} s (apply {applyTime.TotalSeconds:N2} s)", $"{roundTrips:N0}", "in-process", "",
                (met ? "met" : "MISSED") + $" (≤ 10 s; {verified:N0}/{cluster.Offsets:N0} verified, {failed} failed)",
            },
        };
        return (met ? 0 : 1, rows);
    }
}
