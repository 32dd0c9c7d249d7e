using System.CommandLine;
using Kmap.Cli.Commands.ClusterMap;
using Kmap.Core.Cluster;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>`kmap report`: map a cluster into JSON, HTML, Graphviz and a topic recreation script.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions("--bootstrap-server", "--brokers", "-brokers");
        var json = new Option<bool>("--json") { Description = "print the cluster JSON on stdout" };
        var output = new Option<string?>("--output", "-o") { Description = "write the cluster JSON to FILE (`json`: kafka-cluster-info.json)" };
        var html = new Option<string?>("--html") { Description = "write the self-contained HTML report to FILE" };
        var dot = new Option<string?>("--dot") { Description = "write a Graphviz graph to FILE" };
        var recreate = new Option<string?>("--recreate-script") { Description = "write a bash script that recreates the topics" };
        var sizes = new Option<bool>("--topic-sizes") { Description = "read topic sizes (DescribeLogDirs) and print them, largest first" };
        var command = new Command("report", """
            Map a cluster: brokers, topics (partitions, leaders, replicas, ISR, log start/end, non-default
            configs), consumer groups (members, committed offsets, lag) and totals.

            Examples:
              kmap report --bootstrap-server kafka:9092 --json > cluster.json
              kmap report --bootstrap-server kafka:9092 --html report.html --dot cluster.dot --topic-sizes

            Exit status: 0 success, 1 failure, 2 usage error, 3 partial (e.g. topic sizes unreadable).
            """);
        foreach (var option in connection.All.Concat([json, output, html, dot, recreate, sizes]))
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new ClusterMapRequest
            {
                JsonPath = parse.GetValue(json) ? "-" : ClusterMapRequest.JsonOutput(parse.GetValue(output)),
                HtmlPath = parse.GetValue(html),
                DotPath = parse.GetValue(dot),
                RecreateScriptPath = parse.GetValue(recreate),
                TopicSizes = parse.GetValue(sizes),
            };
            if (request is { JsonPath: null, HtmlPath: null, DotPath: null, RecreateScriptPath: null, TopicSizes: false })
            {
                request = request with { JsonPath = "-" };
            }
            return await WithAdminAsync(context, connection, parse, "report",
                (admin, settings) => ClusterMapRun.RunAsync(admin, settings, request, context, cancellationToken));
        });
        return command;
    }

    /// <summary>Builds the settings and the client, runs the body, turns setup errors into exit codes.</summary>
    internal static async Task<int> WithAdminAsync(CliContext context, ConnectionOptions connection, ParseResult parse, string name,
        Func<KafkaAdmin, Core.Config.ConnectionSettings, Task<int>> body)
    {
        Core.Config.ConnectionSettings settings;
        try
        {
            settings = connection.Build(parse, context);
        }
        catch (FormatException e)
        {
            await context.Error.WriteLineAsync($"kmap {name}: {e.Message}");
            return ExitCodes.Usage;
        }
        try
        {
            using var admin = new KafkaAdmin(settings, log: m => context.Error.WriteLine($"kmap: {m}"));
            return await body(admin, settings);
        }
        catch (ClusterException e)
        {
            await context.Error.WriteLineAsync($"kmap {name}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
