using System.CommandLine;
using Kmap.Cli.Compat;
using Kmap.Core.Config;
using Kmap.Kafka;
using Kmap.Sandbox;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap demo`: the main job on an embedded sandbox, so a newcomer sees kmap work with nothing installed:
/// a 3-broker cluster, topics, records, consumer groups at known positions, then the Go-compatible
/// offsets backup and restore script, and what they hold.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var keep = new Option<string?>("--output-dir") { Description = "write the demo's backup files here (default: a temp directory that is removed)" };
        var command = new Command("demo", """
            Run kmap's main job on an embedded sandbox cluster: nothing else to install.
            Starts a 3-broker Kafka-protocol cluster in this process, creates topics, produces records,
            runs consumer groups to known positions, backs up their offsets as
              kmap -brokers B -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh
            would, and shows what was captured.

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
        var output = context.Out;
        await using var cluster = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: cancellationToken);
        await output.WriteLineAsync($"1. Started a sandbox cluster: 3 brokers at {cluster.BootstrapServers}");

        var traffic = new SampleTraffic(new ConnectionSettings { BootstrapServers = cluster.BootstrapServers });
        await traffic.CreateTopicAsync("orders", 6, cancellationToken);
        await traffic.CreateTopicAsync("payments", 3, cancellationToken);
        await traffic.ProduceAsync("orders", 600, cancellationToken);
        await traffic.ProduceAsync("payments", 300, cancellationToken);
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
            return ExitCodes.Success;
        }
        finally
        {
            if (outputDirectory is null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
