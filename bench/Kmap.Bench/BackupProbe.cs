using System.Diagnostics;
using Kmap.Core.Backup;
using Kmap.Core.Config;
using Kmap.Kafka;

namespace Kmap.Bench;

/// <summary>`bench/run.sh probe GROUPS PARTITIONS LATENCY_MS`: where a backup's time goes, step by step, in-process.</summary>
internal static class BackupProbe
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var groups = args.Count > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var partitions = args.Count > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var latency = args.Count > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
        await using var cluster = await BenchCluster.StartAsync(groups, partitions, TimeSpan.FromMilliseconds(latency), brokers: 3);
        var clock = Stopwatch.StartNew();
        void Step(string what)
        {
            Console.WriteLine($"{clock.Elapsed.TotalMilliseconds,8:N0} ms  {what}  (requests so far {cluster.Sandbox.State.Requests.Total:N0})");
            clock.Restart();
        }
        using var admin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = cluster.BootstrapServers });
        Step("client built");
        await admin.GetClusterIdAsync(CancellationToken.None);
        Step("cluster id");
        var listed = await admin.ListGroupsAsync(CancellationToken.None);
        Step($"listed {listed.Count:N0} groups");
        var answers = await ((Kmap.Core.Cluster.IBatchOffsetReader)admin).ListCommittedOffsetsAsync(listed.Select(l => l.Group).ToList(), null, CancellationToken.None);
        Step($"batch answered {answers?.Count ?? -1:N0} groups");
        var service = new OffsetBackupService(admin, TimeProvider.System);
        var result = await service.BackupAsync(new BackupOptions(cluster.BootstrapServers), CancellationToken.None);
        Step($"whole backup service: {result.Backup.ConsumerGroups.Count:N0} groups");
        var path = Path.Combine(Path.GetTempPath(), $"kmap-probe-{Guid.NewGuid():N}.json");
        AtomicFile.Write(path, stream => OffsetBackupJson.Write(stream, result.Backup), null);
        Step($"json written ({new FileInfo(path).Length:N0} bytes)");
        File.Delete(path);
        var outcome = await ProcessRun.RunAsync(BenchPaths.Kmap, ["-brokers", cluster.BootstrapServers, "-save-offsets", path], TimeSpan.FromMinutes(5));
        Step($"kmap process: exit {outcome.ExitCode}, peak RSS {outcome.PeakRssBytes / 1048576:N0} MiB");
        Console.WriteLine(outcome.StandardError);
        File.Delete(path);
        return 0;
    }
}
