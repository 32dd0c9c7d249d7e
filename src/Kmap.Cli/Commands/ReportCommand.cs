using System.CommandLine;
using Kmap.Cli.Commands.ClusterMap;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>`kmap report`: map a cluster into JSON, HTML, Graphviz and a topic recreation script.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions("--bootstrap-server", "--brokers", "-brokers");
        var json = new Option<bool>("--json") { Description = "print the cluster JSON on stdout (same as --format json)" };
        var format = OutputFormat.Create();
        format.Description = "print the map on stdout: json (the cluster JSON) or table (totals, warnings, brokers, topics, groups); the default with no file output is json";
        var interval = new Option<string>("--lag-sample-interval")
        {
            Description = $"read the groups' lag a second time after this long to see which lag grows (e.g. {LagSampleInterval.SuggestedText}, 1m); default: one sample, no wait",
            HelpName = "DURATION",
        };
        var previous = new Option<string?>("--previous") { Description = "measure lag growth against this earlier cluster JSON of the same cluster instead of a second sample", HelpName = "FILE" };
        var output = new Option<string?>("--output", "-o") { Description = "write the cluster JSON to FILE (`json`: kafka-cluster-info.json)" };
        var html = new Option<string?>("--html") { Description = "write the self-contained HTML report to FILE" };
        var dot = new Option<string?>("--dot") { Description = "write a Graphviz graph to FILE" };
        var recreate = new Option<string?>("--recreate-script") { Description = "write a bash script that recreates the topics" };
        var sizes = new Option<bool>("--topic-sizes") { Description = "read topic sizes (DescribeLogDirs) and print them, largest first" };
        var command = new Command("report", """
            Map a cluster: brokers, topics (partitions, leaders, replicas, ISR, log start/end, non-default
            configs), consumer groups (members, committed offsets, lag, lag growth) and totals.

            Lag growth: by default the lag is read once and kmap returns at once. With
            --lag-sample-interval D it is read again D later (only the committed offsets and the log ends
            of their partitions); with --previous FILE it is compared with an earlier map. A group whose
            lag grew while it consumed nothing, or less than half of what was produced, is a warning.

            Examples:
              kmap report --bootstrap-server kafka:9092 --json > cluster.json
              kmap report --bootstrap-server kafka:9092 --format table --lag-sample-interval 30s
              kmap report --bootstrap-server kafka:9092 --html report.html --dot cluster.dot --topic-sizes
              kmap report --bootstrap-server kafka:9092 --output today.json --previous yesterday.json

            Exit status: 0 success, 1 failure, 2 usage error, 3 partial (e.g. topic sizes unreadable).
            """);
        foreach (var option in connection.All.Concat([json, format, output, html, dot, recreate, sizes, interval, previous]))
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            var formatGiven = parse.GetResult(format) is { Implicit: false };
            var jsonOut = parse.GetValue(json) || (formatGiven && parse.GetValue(format) == OutputFormat.Json);
            if (parse.GetValue(json) && formatGiven && parse.GetValue(format) == OutputFormat.Table)
            {
                await context.Error.WriteLineAsync("kmap report: --json and --format table contradict each other; give one");
                return ExitCodes.Usage;
            }
            TimeSpan sampleInterval;
            try
            {
                sampleInterval = parse.GetValue(interval) is { } text ? LagSampleInterval.Parse(text) : LagSampleInterval.Default;
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"kmap report: {e.Message}");
                return ExitCodes.Usage;
            }
            var request = new ClusterMapRequest
            {
                JsonPath = jsonOut ? "-" : ClusterMapRequest.JsonOutput(parse.GetValue(output)),
                Table = formatGiven && !jsonOut,
                HtmlPath = parse.GetValue(html),
                DotPath = parse.GetValue(dot),
                RecreateScriptPath = parse.GetValue(recreate),
                TopicSizes = parse.GetValue(sizes),
                LagSampleInterval = sampleInterval,
                PreviousPath = parse.GetValue(previous),
            };
            if (request is { JsonPath: null, Table: false, HtmlPath: null, DotPath: null, RecreateScriptPath: null, TopicSizes: false })
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
