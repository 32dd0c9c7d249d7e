using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Kmap.Cli.Compat;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Kafka;
using Kmap.Sandbox;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap demo`: the main job on an embedded sandbox, so a newcomer sees kmap work with nothing installed:
/// a 3-broker cluster, topics, records, consumer groups at known positions, then the Go-compatible
/// offsets backup and restore script, and what they hold. Then the migration story: a second cluster holds
/// the same records at other offsets (it kept older records in front), so copying offset numbers would be
/// wrong; kmap backs up, plans, restores translated by record time, and verifies.
/// </summary>
public static class DemoCommand
{
    private const string Topic = "clicks";
    private const string Group = "analytics";
    private const int Partitions = 3;
    private const int Records = 30;
    private const int OlderRecordsOnTarget = 10;

    public static Command Create(CliContext context)
    {
        var keep = new Option<string?>("--output-dir") { Description = "write the demo's backup files here (default: a temp directory that is removed)" };
        var command = new Command("demo", """
            Run kmap's main job on an embedded sandbox cluster: nothing else to install.
            Starts a 3-broker Kafka-protocol cluster in this process, creates topics, produces records,
            runs consumer groups to known positions, backs up their offsets as
              kmap -brokers B -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh
            would, and shows what was captured. Then migrates a group to a second sandbox cluster whose
            offsets differ for the same records: kmap backup, the kmap restore plan, the restore translated
            by record time, kmap verify, and the record the group reads next on each side; then one round of
            kmap sync carries the group's later positions over, as before a cut-over.

            Examples:
              kmap demo
              kmap demo --output-dir ./demo-out
            """)
        { keep };
        command.SetAction(async (parse, cancellationToken) =>
            await RunAsync(context, parse.GetValue(keep), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(CliContext context, string? outputDirectory, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var output = context.Out;
        await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: cancellationToken);
        await output.WriteLineAsync($"1. Started a sandbox cluster: 3 brokers at {cluster.BootstrapServers}");

        var demoSettings = new ConnectionSettings { BootstrapServers = cluster.BootstrapServers };
        var traffic = new SampleTraffic(demoSettings);
        await traffic.CreateTopicAsync("orders", 6, cancellationToken);
        await traffic.CreateTopicAsync("payments", 3, cancellationToken);
        using (var writer = new KafkaRecordWriter(demoSettings))
        {
            await writer.ProduceSamplesAsync("orders", 600, cancellationToken);
            await writer.ProduceSamplesAsync("payments", 300, cancellationToken);
        }
        await output.WriteLineAsync("2. Created topics orders (6 partitions) and payments (3), produced 600 and 300 records");

        var groups = new (string Group, string Topic, int Records)[]
        {
            ("billing", "orders", 600),
            ("shipping", "orders", 250),
            ("fraud-check", "payments", 120),
        };
        foreach (var (group, topic, records) in groups)
        {
            var read = await traffic.ConsumeAsync(group, topic, records, cancellationToken);
            await output.WriteLineAsync($"3. Consumer group {group,-12} read {read,4} records of {topic} and committed; its consumer has left");
        }

        var directory = outputDirectory ?? Path.Combine(Path.GetTempPath(), "kmap-demo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var json = Path.Combine(directory, "consumer-offsets.json");
            var script = Path.Combine(directory, "restore-offsets.sh");
            await output.WriteLineAsync($"4. kmap -brokers {cluster.BootstrapServers} -save-offsets {json} -restore-offsets-script {script}");
            var exit = await CompatMode.RunAsync(["-brokers", cluster.BootstrapServers, "-save-offsets", json, "-restore-offsets-script", script], context, cancellationToken);
            if (exit != ExitCodes.Success)
            {
                await context.Error.WriteLineAsync($"kmap demo: the backup ended with exit code {exit}");
                return exit;
            }
            await output.WriteLineAsync("5. The backup holds, per group and topic, the committed offsets (partition=offset):");
            using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(json, cancellationToken));
            foreach (var group in document.RootElement.GetProperty("consumer_groups").EnumerateArray())
            {
                foreach (var topic in group.GetProperty("topics").EnumerateObject())
                {
                    var positions = string.Join(' ', topic.Value.EnumerateArray().Select(p => $"{p.GetProperty("partition").GetInt32()}={p.GetProperty("offset").GetInt64()}"));
                    await output.WriteLineAsync($"     {group.GetProperty("group").GetString(),-12} {topic.Name,-9} {positions}");
                }
            }
            await output.WriteLineAsync(outputDirectory is null
                ? "6. To restore them elsewhere: BOOTSTRAP_SERVERS=target:9092 ./restore-offsets.sh (run 'kmap demo --output-dir DIR' to keep the files)"
                : $"6. Files kept in {directory}. To restore elsewhere: BOOTSTRAP_SERVERS=target:9092 {script}");
            var migrated = await MigrateAsync(context, cluster, directory, cancellationToken);
            await output.WriteLineAsync($"Demo {(migrated == ExitCodes.Success ? "done" : "FAILED")} in {watch.Elapsed.TotalSeconds:0.0} s.");
            return migrated;
        }
        finally
        {
            if (outputDirectory is null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>
    /// Part two: the running cluster is the source; a second sandbox, with its own cluster id, is the target.
    /// Only the demo's migration group is backed up (--include-groups), so the plan stays short.
    /// </summary>
    private static async Task<int> MigrateAsync(CliContext context, SandboxCluster source, string directory, CancellationToken cancellationToken)
    {
        var output = context.Out;
        // Two clusters, two identities: a restore must not mistake one for the other.
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = "demo-target-" + Guid.NewGuid().ToString("N")[..8] }, cancellationToken: cancellationToken);
        await output.WriteLineAsync($"""

            Now a migration: consumer group '{Group}' moves from this cluster to another one ({target.BootstrapServers}).

            7. Both clusters get the same {Records} records in each of {Partitions} partitions of '{Topic}', but the
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
            8. On the source, '{Group}' has consumed up to offsets {string.Join(", ", positions)} of partitions 0, 1, 2
               (partition 1 is caught up).

            """);

        var backupFile = Path.Combine(directory, "offsets.json");
        string[][] steps =
        [
            ["backup", "--brokers", source.BootstrapServers, "-o", backupFile, "--include-groups", Group],
            ["restore", "--brokers", target.BootstrapServers, "--from", backupFile],
            ["restore", "--brokers", target.BootstrapServers, "--from", backupFile, "--execute"],
            ["verify", "--brokers", target.BootstrapServers, "--from", backupFile],
        ];
        string[] explanations =
        [
            "9. Back up the group's offsets, with the time of the next record it will read:",
            "10. Plan the restore on the target (nothing is written yet). kmap sees another cluster whose record\n    times do not line up with the offsets, so it translates by record time:",
            "11. Apply that plan (the target's previous offsets are saved first, for an undo):",
            "12. Verify: the target's committed offsets are what the backup translates to:",
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
                await output.WriteLineAsync($"kmap demo: step {i + 9} failed with exit status {code}");
                return ExitCodes.Failure;
            }
        }
        if (!await CompareNextRecordsAsync(output, 13, sourceSettings, targetSettings, positions, cancellationToken))
        {
            return ExitCodes.Failure;
        }
        return await CutOverAsync(context, sourceSettings, targetSettings, cancellationToken);
    }

    /// <summary>
    /// Part three: until the consumers move, the source group goes on reading; `kmap sync` keeps the target's copy of its
    /// positions current (one round here; it normally runs every --interval until stopped).
    /// </summary>
    private static async Task<int> CutOverAsync(CliContext context, ConnectionSettings source, ConnectionSettings target, CancellationToken cancellationToken)
    {
        var output = context.Out;
        long[] positions = [20, Records, 15];
        using (var sourceAdmin = new KafkaAdmin(source))
        {
            await sourceAdmin.AlterOffsetsAsync(Group, positions.Select((o, p) => new CommittedOffset(Topic, p, o)).ToList(), cancellationToken);
        }
        string[] sync = ["sync", "--source-brokers", source.BootstrapServers, "--target-brokers", target.BootstrapServers, "--include-groups", Group,
            "--translate", "timestamp", "--once"];
        await output.WriteLineAsync($"""

            14. Until its consumers move, '{Group}' keeps reading on the source (now at {string.Join(", ", positions)}). kmap sync keeps
                the target's positions current: here one round; without --once it runs every --interval (30 s) until
                stopped, and leaves a group alone once it is active on the target (the cut-over):
               $ kmap {string.Join(' ', sync)}
            """);
        await output.FlushAsync(cancellationToken);
        var code = await KmapApp.RunAsync(sync, context, cancellationToken);
        await output.WriteLineAsync();
        if (code != ExitCodes.Success)
        {
            await output.WriteLineAsync($"kmap demo: step 14 failed with exit status {code}");
            return ExitCodes.Failure;
        }
        return await CompareNextRecordsAsync(output, 15, source, target, positions, cancellationToken) ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static async Task FillAsync(ConnectionSettings settings, DateTimeOffset start, bool withOlder, CancellationToken cancellationToken)
    {
        using (var admin = new KafkaAdmin(settings))
        {
            await new TopicCreator(admin).CreateTopicsAsync([new TopicSpec(Topic, Partitions, TopicSpec.BrokerDefaultReplication, [])], cancellationToken);
        }
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
                await writer.ProduceAsync(Topic, p, null, Encoding.UTF8.GetBytes($"click-{p}-{i}"), start.AddSeconds(i), cancellationToken);
            }
        }
    }

    /// <summary>Reads, on both clusters, the record the group will read next, and checks it is the same one.</summary>
    private static async Task<bool> CompareNextRecordsAsync(TextWriter output, int step, ConnectionSettings source, ConnectionSettings target, long[] positions, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"{step}. The record '{Group}' reads next, on each side:");
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
        if (step == 13)
        {
            var wrongByNumber = Value(targetRecords, 0, positions[0]);
            await output.WriteLineAsync($"   (copying the offset number instead would have resumed {Topic}-0 at {wrongByNumber} on the target)");
        }
        return ok;
    }

    private static string Value(IReadOnlyList<Core.Cluster.RawRecord> records, int partition, long offset) =>
        records.FirstOrDefault(r => r.TopicPartition.Partition == partition && r.Offset == offset) is { Value: { } value }
            ? $"'{Encoding.UTF8.GetString(value)}'"
            : "(end of log)";
}
