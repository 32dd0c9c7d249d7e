using System.CommandLine;
using System.Text.RegularExpressions;
using Kmap.Cli.Commands.ClusterMap;
using Kmap.Core.ClusterMap;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap topics`: the subset of kafka-topics.sh that the topic recreation script calls (--create with
/// --if-not-exists, --partitions, --replication-factor, --config k=v) plus --list and --describe, same
/// options, messages and output (or JSON with --format json).
/// </summary>
public static class TopicsCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions("--bootstrap-server");
        var create = new Option<bool>("--create") { Description = "create a topic" };
        var list = new Option<bool>("--list") { Description = "list the topics, one per line" };
        var describe = new Option<bool>("--describe") { Description = "describe the topics as kafka-topics.sh does: partition count, replication factor, non-default configs, then leader, replicas and ISR per partition" };
        var topic = new Option<string?>("--topic") { Description = "the topic to create; with --list/--describe a regular expression of the topics to show (whole name)" };
        var excludeInternal = new Option<bool>("--exclude-internal") { Description = "with --list/--describe: leave out internal topics (__consumer_offsets...)" };
        var ifExists = new Option<bool>("--if-exists") { Description = "with --describe: no error when --topic matches no topic" };
        var format = OutputFormat.Create();
        format.Description = "with --list/--describe: table (kafka-topics.sh's text) or json";
        var partitions = new Option<int?>("--partitions") { Description = "number of partitions (default 1)" };
        var replication = new Option<int?>("--replication-factor") { Description = "replication factor (default 1)" };
        var configs = new Option<string[]>("--config") { Description = "a topic config key=value; repeatable", AllowMultipleArgumentsPerToken = false };
        var ifNotExists = new Option<bool>("--if-not-exists") { Description = "with --create: do nothing if the topic exists" };
        var command = new Command("topics", """
            The part of Apache Kafka's kafka-topics.sh that recreating topics needs, same options and messages.

            Examples:
              kmap topics --bootstrap-server target:9092 --list
              kmap topics --bootstrap-server target:9092 --describe --topic 'orders|payments\..*'
              kmap topics --bootstrap-server target:9092 --describe --exclude-internal --format json
              kmap topics --bootstrap-server target:9092 --create --if-not-exists --topic orders \
                --partitions 6 --replication-factor 3 --config retention.ms=86400000
            """);
        foreach (var option in connection.All.Concat([create, list, describe, topic, partitions, replication, configs, ifNotExists, ifExists, excludeInternal, format]))
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (new[] { parse.GetValue(create), parse.GetValue(list), parse.GetValue(describe) }.Count(a => a) != 1)
            {
                await context.Error.WriteLineAsync("kmap topics: Command must include exactly one action: --list, --describe, --create");
                return ExitCodes.Usage;
            }
            if (string.IsNullOrWhiteSpace(parse.GetValue(connection.Bootstrap)))
            {
                await context.Error.WriteLineAsync("kmap topics: Missing required argument \"[bootstrap-server]\"");
                return ExitCodes.Usage;
            }
            if (parse.GetValue(list) || parse.GetValue(describe))
            {
                Regex? pattern;
                try
                {
                    pattern = parse.GetValue(topic) is { } regex ? new Regex($"^(?:{regex})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;
                }
                catch (ArgumentException e)
                {
                    await context.Error.WriteLineAsync($"kmap topics: --topic is not a regular expression: {e.Message}");
                    return ExitCodes.Usage;
                }
                var exclude = parse.GetValue(excludeInternal);
                bool Include(string name) => (pattern is null || pattern.IsMatch(name)) && !(exclude && name.StartsWith("__", StringComparison.Ordinal));
                var json = parse.GetValue(format) == OutputFormat.Json;
                return await ReportCommand.WithAdminAsync(context, connection, parse, "topics", async (admin, settings) =>
                {
                    if (parse.GetValue(list))
                    {
                        var names = (await admin.ListTopicsAsync(cancellationToken)).Keys.Where(Include).Order(StringComparer.Ordinal).ToList();
                        await context.Out.WriteAsync(json ? TopicDescription.ListJson(settings.BootstrapServers, names) : string.Concat(names.Select(n => n + "\n")));
                        return ExitCodes.Success;
                    }
                    var topics = await new ClusterMapReader(admin, context.Time).DescribeTopicsAsync(settings.BootstrapServers, Include, cancellationToken);
                    if (topics.Count == 0 && parse.GetValue(topic) is { } wanted && !parse.GetValue(ifExists))
                    {
                        await context.Out.WriteLineAsync($"Error while executing topic command : Topic '{wanted}' does not exist as expected");
                        return ExitCodes.Failure;
                    }
                    await context.Out.WriteAsync(json ? TopicDescription.Json(settings.BootstrapServers, topics) : TopicDescription.Text(topics));
                    return ExitCodes.Success;
                });
            }
            var name = parse.GetValue(topic);
            if (string.IsNullOrEmpty(name))
            {
                await context.Error.WriteLineAsync("kmap topics: Missing required argument \"[topic]\"");
                return ExitCodes.Usage;
            }
            var pairs = new List<KeyValuePair<string, string>>();
            foreach (var config in parse.GetValue(configs) ?? [])
            {
                var equals = config.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await context.Error.WriteLineAsync($"kmap topics: --config expects key=value, not '{config}'");
                    return ExitCodes.Usage;
                }
                pairs.Add(KeyValuePair.Create(config[..equals], config[(equals + 1)..]));
            }
            var spec = new TopicSpec(name, parse.GetValue(partitions) ?? 1, parse.GetValue(replication) ?? 1, pairs);
            return await ReportCommand.WithAdminAsync(context, connection, parse, "topics", async (admin, _) =>
            {
                var result = (await new TopicCreator(admin).CreateTopicsAsync([spec], cancellationToken)).Single();
                if (result.Error is null)
                {
                    await context.Out.WriteLineAsync($"Created topic {name}.");
                    return ExitCodes.Success;
                }
                if (result.AlreadyExists && parse.GetValue(ifNotExists))
                {
                    return ExitCodes.Success;
                }
                await context.Out.WriteLineAsync($"Error while executing topic command : {(result.AlreadyExists ? $"Topic '{name}' already exists." : result.Error)}");
                return ExitCodes.Failure;
            });
        });
        return command;
    }
}
