using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Kafka;
using Kmap.Sandbox;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap demo`: a migration on two embedded sandboxes, with nothing installed. The target holds the same
/// records as the source but at other offsets (it kept older records in front), so copying offset numbers
/// would be wrong; kmap backs up, plans, restores translated by record time, and verifies.
/// </summary>
public static class DemoCommand
{
    private const string Topic = "orders";
    private const string Group = "billing";
    private const int Partitions = 3;
    private const int Records = 30;
    private const int OlderRecordsOnTarget = 10;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keep = new Option<string?>("--dir") { Description = "where to write the demo's backup files (default: a new temporary directory)" };
        var command = new Command("demo", """
            Run a consumer-group migration between two embedded sandbox clusters and show each kmap command:
            backup on the source, the restore plan, the restore translated by record time, the verification.
            """) { keep };
        command.SetAction((parse, cancellationToken) => RunAsync(context, parse.GetValue(keep), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? dir, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var output = context.Out;
        dir ??= Directory.CreateTempSubdirectory("kmap-demo-").FullName;
        Directory.CreateDirectory(dir);
        // Two clusters, two identities: a restore must not mistake one for the other.
        await using var source = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = "demo-source-" + Guid.NewGuid().ToString("N")[..8] }, cancellationToken: cancellationToken);
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = "demo-target-" + Guid.NewGuid().ToString("N")[..8] }, cancellationToken: cancellationToken);
        await output.WriteLineAsync($"""
            kmap demo: moving consumer group '{Group}' from one cluster to another.

              source cluster: {source.BootstrapServers}
              target cluster: {target.BootstrapServers}

            1. Both clusters get the same {Records} records in each of {Partitions} partitions of '{Topic}', but the
               target already held {OlderRecordsOnTarget} older records in front of them: the same record has a
               different offset on each side (offset N on the source is offset N+{OlderRecordsOnTarget} on the target).
            """);
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var sourceSettings = new ConnectionSettings { BootstrapServers = source.BootstrapServers };
        var targetSettings = new ConnectionSettings { BootstrapServers = target.BootstrapServers };
        await FillAsync(sourceSettings, start, withOlder: false, cancellationToken);
        await FillAsync(targetSettings, start, withOlder: true, cancellationToken);

        long[] positions = [12, Records, 5];
        using (var sourceAdmin = new KafkaAdmin(sourceSettings))
        {
            await sourceAdmin.AlterOffsetsAsync(Group, positions.Select((o, p) => new CommittedOffset(Topic, p, o)).ToList(), cancellationToken);
        }
        await output.WriteLineAsync($"""
            2. On the source, '{Group}' has consumed up to offsets {string.Join(", ", positions)} of partitions 0, 1, 2
               (partition 1 is caught up).

            """);

        var backupFile = Path.Combine(dir, "offsets.json");
        string[][] steps =
        [
            ["backup", "--brokers", source.BootstrapServers, "-o", backupFile],
            ["restore", "--brokers", target.BootstrapServers, "--from", backupFile],
            ["restore", "--brokers", target.BootstrapServers, "--from", backupFile, "--execute"],
            ["verify", "--brokers", target.BootstrapServers, "--from", backupFile],
        ];
        string[] explanations =
        [
            "3. Back up the source's offsets, with the time of the next record each group will read:",
            "4. Plan the restore on the target (nothing is written yet). kmap sees another cluster whose record\n   times do not line up with the offsets, so it translates by record time:",
            "5. Apply that plan (the target's previous offsets are saved first, for an undo):",
            "6. Verify: the target's committed offsets are what the backup translates to:",
        ];
        for (var i = 0; i < steps.Length; i++)
        {
            await output.WriteLineAsync(explanations[i]);
            await output.WriteLineAsync($"   $ kmap {string.Join(' ', steps[i])}");
            await output.FlushAsync(cancellationToken);
            var code = await KmapApp.RunAsync(steps[i], context, cancellationToken);
            await output.WriteLineAsync();
            if (code != ExitCodes.Success)
            {
                await output.WriteLineAsync($"kmap demo: step {i + 3} failed with exit status {code}");
                return ExitCodes.Failure;
            }
        }

        var ok = await CompareNextRecordsAsync(output, sourceSettings, targetSettings, positions, cancellationToken);
        await output.WriteLineAsync($"""

            {(ok ? "Done" : "FAILED")} in {watch.Elapsed.TotalSeconds:0.0} s. The backup is {backupFile}; the rollback file is beside it.
            Try the same on your clusters: kmap backup --brokers SOURCE -o offsets.json, then kmap restore --brokers TARGET --from offsets.json
            """);
        return ok ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task FillAsync(ConnectionSettings settings, DateTimeOffset start, bool withOlder, CancellationToken cancellationToken)
    {
        await new KafkaTopicCreator(settings).CreateTopicsAsync(new Dictionary<string, int> { [Topic] = Partitions }, cancellationToken);
        using var writer = new KafkaRecordWriter(settings);
        for (var p = 0; p < Partitions; p++)
        {
            if (withOlder)
            {
                for (var i = 0; i < OlderRecordsOnTarget; i++)
                {
                    await writer.ProduceAsync(Topic, p, null, Encoding.UTF8.GetBytes($"older-{p}-{i}"), start.AddDays(-1).AddSeconds(i), cancellationToken);
                }
            }
            for (var i = 0; i < Records; i++)
            {
                await writer.ProduceAsync(Topic, p, null, Encoding.UTF8.GetBytes($"order-{p}-{i}"), start.AddSeconds(i), cancellationToken);
            }
        }
    }

    /// <summary>Reads, on both clusters, the record the group will read next, and checks it is the same one.</summary>
    private static async Task<bool> CompareNextRecordsAsync(TextWriter output, ConnectionSettings source, ConnectionSettings target, long[] positions, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"7. The record '{Group}' reads next, on each side:");
        var sourceRecords = await new KafkaRecordReader(source).ReadTopicAsync(Topic, cancellationToken);
        var targetRecords = await new KafkaRecordReader(target).ReadTopicAsync(Topic, cancellationToken);
        using var targetAdmin = new KafkaAdmin(target);
        var committed = (await targetAdmin.ListCommittedOffsetsAsync(Group, cancellationToken)).ToDictionary(c => c.Partition, c => c.Offset);
        var ok = true;
        for (var p = 0; p < Partitions; p++)
        {
            var onSource = Value(sourceRecords, p, positions[p]);
            var targetOffset = committed.GetValueOrDefault(p, -1);
            var onTarget = Value(targetRecords, p, targetOffset);
            var same = onSource == onTarget;
            ok &= same;
            await output.WriteLineAsync($"   {Topic}-{p}: source offset {positions[p]} -> {onSource}   target offset {targetOffset} -> {onTarget}   {(same ? "same record" : "DIFFERENT")}");
        }
        var wrongByNumber = Value(targetRecords, 0, positions[0]);
        await output.WriteLineAsync($"   (copying the offset number instead would have resumed {Topic}-0 at {wrongByNumber} on the target)");
        return ok;
    }

    private static string Value(IReadOnlyList<Core.Cluster.RawRecord> records, int partition, long offset) =>
        records.FirstOrDefault(r => r.TopicPartition.Partition == partition && r.Offset == offset) is { Value: { } value }
            ? $"'{Encoding.UTF8.GetString(value)}'"
            : "(end of log)";
}
