using System.CommandLine;
using System.Globalization;
using Kmap.Cli.Commands.ClusterMap;
using Kmap.Core.ClusterMap;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>`kmap recreate-topics --from cluster.json --brokers TARGET [--execute]`: plan first, then create the missing topics.</summary>
public static class RecreateTopicsCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions("--brokers", "--bootstrap-server", "-brokers");
        var from = new Option<string>("--from") { Description = "the cluster JSON of the source (kmap -output / kmap report --json)", Required = true };
        var execute = new Option<bool>("--execute") { Description = "create the topics (without it: only the plan)" };
        var replication = new Option<int?>("--replication-factor") { Description = "one replication factor for every topic (default: each topic's own)" };
        var format = OutputFormat.Create();
        var command = new Command("recreate-topics", """
            Recreate the topics of a mapped cluster on a target: same partitions, replication factor and
            topic-level configs. Prints the plan; creates only with --execute. Existing topics are left alone.

            Examples:
              kmap recreate-topics --from kafka-cluster-info.json --brokers target:9092
              kmap recreate-topics --from kafka-cluster-info.json --brokers target:9092 --execute
              kmap recreate-topics --from kafka-cluster-info.json --brokers target:9092 --format json | jq -r '.topics[] | select(.action == "create") | .topic'

            Exit status: 0 success, 1 failure, 2 usage error, 3 some topics failed.
            """);
        foreach (var option in connection.All.Concat([from, execute, replication, format]))
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            Core.ClusterMap.ClusterMap source;
            try
            {
                source = ClusterMapJson.Deserialize(await File.ReadAllTextAsync(parse.GetValue(from)!, cancellationToken));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                await context.Error.WriteLineAsync($"kmap recreate-topics: cannot read {parse.GetValue(from)}: {e.Message}");
                return ExitCodes.Usage;
            }
            if (parse.GetValue(replication) is < 1)
            {
                await context.Error.WriteLineAsync("kmap recreate-topics: --replication-factor must be at least 1");
                return ExitCodes.Usage;
            }
            return await ReportCommand.WithAdminAsync(context, connection, parse, "recreate-topics", async (admin, settings) =>
            {
                var plan = TopicRecreationPlanner.Plan(source, await admin.ListTopicsAsync(cancellationToken), parse.GetValue(replication));
                var json = parse.GetValue(format) == OutputFormat.Json;
                var toCreate = plan.Where(p => p.Action == TopicAction.Create).Select(p => p.Spec).ToList();
                if (!parse.GetValue(execute))
                {
                    if (json)
                    {
                        await context.Out.WriteAsync(RecreateTopicsJson.Write(settings.BootstrapServers, false, plan, null));
                        return ExitCodes.Success;
                    }
                    await PrintPlanAsync(context, plan, settings.BootstrapServers);
                    await context.Out.WriteLineAsync($"Dry run: {toCreate.Count} topic(s) would be created. Run again with --execute to create them.");
                    return ExitCodes.Success;
                }
                if (!json)
                {
                    await PrintPlanAsync(context, plan, settings.BootstrapServers);
                }
                var results = await new TopicCreator(admin).CreateTopicsAsync(toCreate, cancellationToken);
                var failed = results.Where(r => r.Error is not null && !r.AlreadyExists).ToList();
                var exitCode = failed.Count == 0 ? ExitCodes.Success : failed.Count == toCreate.Count ? ExitCodes.Failure : ExitCodes.Partial;
                if (json)
                {
                    await context.Out.WriteAsync(RecreateTopicsJson.Write(settings.BootstrapServers, true, plan, results));
                    return exitCode;
                }
                foreach (var failure in failed)
                {
                    await context.Out.WriteLineAsync($"FAILED {failure.Name}: {failure.Error}");
                }
                await context.Out.WriteLineAsync($"Created {results.Count - failed.Count} of {toCreate.Count} topic(s), {failed.Count} failed.");
                return exitCode;
            });
        });
        return command;
    }

    private static async Task PrintPlanAsync(CliContext context, IReadOnlyList<PlannedTopic> plan, string target)
    {
        await context.Out.WriteLineAsync($"Plan for {target}:");
        var width = Math.Max(5, plan.Count == 0 ? 0 : plan.Max(p => p.Spec.Name.Length));
        await context.Out.WriteLineAsync($"{"TOPIC".PadRight(width)}  {"PARTITIONS",10}  {"RF",3}  {"CONFIGS",7}  ACTION");
        foreach (var p in plan)
        {
            var action = p.Action switch
            {
                TopicAction.Create => "create",
                TopicAction.Exists => "exists",
                _ => $"exists, differs: {p.Note}",
            };
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{p.Spec.Name.PadRight(width)}  {p.Spec.Partitions,10}  {p.Spec.ReplicationFactor,3}  {p.Spec.Configs.Count,7}  {action}"));
        }
    }
}
