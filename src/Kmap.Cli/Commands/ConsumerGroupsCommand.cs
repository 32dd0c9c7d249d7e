using System.CommandLine;
using Kmap.Cli.Commands.ConsumerGroups;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Csv;
using Kmap.Core.Restore;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>`kmap consumer-groups`: the subset of kafka-consumer-groups.sh that restores need, same options and columns.</summary>
public static class ConsumerGroupsCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = new ConsumerGroupsOptions();
        var command = new Command("consumer-groups", """
            List, describe, reset and delete consumer groups, with the options and output columns of
            Apache Kafka's kafka-consumer-groups.sh (so restore scripts work where Kafka is not installed).
            Unlike Kafka's tool, a refused reset (active group) exits non-zero.

            Examples:
              kmap consumer-groups --context prod --list                     (brokers and credentials from `kmap config`)
              kmap consumer-groups --bootstrap-server target:9092 --list
              kmap consumer-groups --bootstrap-server target:9092 --describe --group my-consumer-group
              kmap consumer-groups --describe --all-groups --format json | jq '.[] | select(.lag > 1000)'
              kmap consumer-groups --bootstrap-server target:9092 --group my-consumer-group \
                --reset-offsets --from-file offsets.csv --execute
              kmap consumer-groups --bootstrap-server target:9092 --group g --reset-offsets \
                --to-datetime 2026-01-20T15:30:04.000Z --topic orders:0,1          (dry run)
              kmap consumer-groups --bootstrap-server target:9092 --all-groups --reset-offsets \
                --to-earliest --all-topics --export > plan.csv

            Exit status: 0 success, 1 failure, 2 usage error, 3 some groups failed.
            """);
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) => RunAsync(parse, options, context, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ConsumerGroupsOptions o, CliContext context, CancellationToken cancellationToken)
    {
        var actions = new[] { o.List, o.Describe, o.ResetOffsets, o.Delete, o.DeleteOffsets }.Where(a => parse.GetValue(a)).ToList();
        if (actions.Count != 1)
        {
            return await UsageAsync(context, "Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets");
        }
        var bootstrap = parse.GetValue(o.BootstrapServer);
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            bootstrap = null;
        }
        // Kafka's tool insists on --bootstrap-server; kmap also takes it from --context, KMAP_BROKERS or the current context.
        if (bootstrap is null && !HasClusterOutsideFlags(context))
        {
            return await UsageAsync(context, "Missing required argument \"[bootstrap-server]\"");
        }
        var request = new ConsumerGroupsRequest
        {
            Groups = parse.GetValue(o.Group) ?? [],
            AllGroups = parse.GetValue(o.AllGroups),
            Topics = parse.GetValue(o.Topic) ?? [],
            AllTopics = parse.GetValue(o.AllTopics),
            StateGiven = parse.GetResult(o.State) is not null,
            StateFilter = parse.GetValue(o.State),
            TypeGiven = parse.GetResult(o.Type) is not null,
            TypeFilter = parse.GetValue(o.Type),
            Members = parse.GetValue(o.Members),
            Verbose = parse.GetValue(o.Verbose),
            Execute = parse.GetValue(o.Execute),
            Export = parse.GetValue(o.Export),
            Json = parse.GetValue(o.Format) == OutputFormat.Json,
        };
        var action = actions[0];
        if (action != o.List && action != o.ResetOffsets && request.Groups.Count == 0 && !request.AllGroups)
        {
            return await UsageAsync(context, $"Option [{action.Name.TrimStart('-')}] takes one of these options: [all-groups], [group]");
        }
        if (request.Groups.Count > 0 && request.AllGroups)
        {
            return await UsageAsync(context, "Option [all-groups] cannot be used with [group]");
        }
        if (parse.GetValue(o.Execute) && parse.GetValue(o.DryRun))
        {
            return await UsageAsync(context, "Option [reset-offsets] takes at most one of these options: [dry-run], [execute]");
        }
        ResetStrategy? strategy = null;
        if (action == o.ResetOffsets)
        {
            try
            {
                strategy = ReadStrategy(parse, o, request);
            }
            catch (FormatException e)
            {
                return await UsageAsync(context, e.Message);
            }
            catch (IOException e)
            {
                return await UsageAsync(context, $"cannot read --from-file: {e.Message}");
            }
            if (strategy is null)
            {
                return await UsageAsync(context, "Option [reset-offsets] takes exactly one of these options: [from-file], [to-earliest], [to-latest], [to-current], [to-offset], [shift-by], [to-datetime], [by-duration]");
            }
            if (strategy is not ResetStrategy.FromFile)
            {
                if (request.Groups.Count == 0 && !request.AllGroups)
                {
                    return await UsageAsync(context, "Option [reset-offsets] takes one of these options: [all-groups], [group]");
                }
                if (request.Topics.Count == 0 == !request.AllTopics)
                {
                    return await UsageAsync(context, "Option [reset-offsets] takes exactly one of these options: [topic], [all-topics]");
                }
            }
        }
        if (action == o.DeleteOffsets && (request.Groups.Count != 1 || request.Topics.Count == 0))
        {
            return await UsageAsync(context, "Option [delete-offsets] takes exactly one [group] and at least one [topic]");
        }

        ConnectionSettings settings;
        try
        {
            settings = ConnectionSettingsBuilder.Build(
                new AuthFlags { BootstrapServers = bootstrap, CommandConfig = parse.GetValue(o.CommandConfig) },
                context.Environment, File.ReadAllText, m => context.Error.WriteLine(m));
        }
        catch (FormatException e)
        {
            return await UsageAsync(context, e.Message);
        }
        var timeout = parse.GetValue(o.Timeout) is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        KafkaAdmin admin;
        try
        {
            admin = new KafkaAdmin(settings, timeout, m => context.Error.WriteLine($"kmap: {m}"));
        }
        catch (ClusterException e)
        {
            await context.Out.WriteLineAsync($"\nError: {e.Message}");
            return ExitCodes.Failure;
        }
        using var client = admin;
        try
        {
            return action == o.List ? await ListGroupsAction.RunAsync(request, admin, context, cancellationToken)
                : action == o.Describe ? await DescribeGroupsAction.RunAsync(request, admin, context, cancellationToken)
                : action == o.ResetOffsets ? await ResetOffsetsAction.RunAsync(request, strategy!, admin, admin, context, cancellationToken)
                : action == o.Delete ? await DeleteGroupsAction.DeleteGroupsAsync(request, admin, admin, context, cancellationToken)
                : await DeleteGroupsAction.DeleteOffsetsAsync(request, admin, admin, context, cancellationToken);
        }
        catch (ClusterException e)
        {
            await context.Out.WriteLineAsync($"\nError: Executing consumer group command failed due to {e.Message}");
            return ExitCodes.Failure;
        }
        catch (FormatException e)
        {
            return await UsageAsync(context, e.Message);
        }
    }

    private static ResetStrategy? ReadStrategy(ParseResult parse, ConsumerGroupsOptions o, ConsumerGroupsRequest request)
    {
        var chosen = new List<ResetStrategy>();
        if (parse.GetValue(o.FromFile) is { } file)
        {
            var single = request.Groups.Count == 1 ? request.Groups[0] : null;
            chosen.Add(new ResetStrategy.FromFile(ResetCsv.Parse(File.ReadAllText(file), single)));
        }
        if (parse.GetValue(o.ToEarliest))
        {
            chosen.Add(new ResetStrategy.ToEarliest());
        }
        if (parse.GetValue(o.ToLatest))
        {
            chosen.Add(new ResetStrategy.ToLatest());
        }
        if (parse.GetValue(o.ToCurrent))
        {
            chosen.Add(new ResetStrategy.ToCurrent());
        }
        if (parse.GetValue(o.ToOffset) is { } offset)
        {
            chosen.Add(new ResetStrategy.ToOffset(offset));
        }
        if (parse.GetValue(o.ShiftBy) is { } shift)
        {
            chosen.Add(new ResetStrategy.ShiftBy(shift));
        }
        if (parse.GetValue(o.ToDateTime) is { } dateTime)
        {
            chosen.Add(new ResetStrategy.ToDateTime(ResetTimeParser.ParseDateTime(dateTime)));
        }
        if (parse.GetValue(o.ByDuration) is { } duration)
        {
            chosen.Add(new ResetStrategy.ByDuration(ResetTimeParser.ParseDuration(duration)));
        }
        return chosen.Count == 1 ? chosen[0] : null;
    }

    private static bool HasClusterOutsideFlags(CliContext context)
    {
        if (context.Environment(KmapConfigFile.ContextVariable) is { Length: > 0 } || context.Environment(KmapConfigFile.BrokersVariable) is { Length: > 0 })
        {
            return true;
        }
        try
        {
            return KmapConfigFile.Load(KmapConfigFile.PathFrom(context.Environment), File.ReadAllText).CurrentContext is not null;
        }
        catch (FormatException)
        {
            return true; // let the connection settings report the broken file
        }
    }

    private static async Task<int> UsageAsync(CliContext context, string message)
    {
        await context.Error.WriteLineAsync($"kmap consumer-groups: {message}");
        await context.Error.WriteLineAsync("Run 'kmap consumer-groups --help' for usage.");
        return ExitCodes.Usage;
    }
}
