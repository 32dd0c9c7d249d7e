using System.CommandLine;
using Kmap.Cli.Commands.ClusterMap;

namespace Kmap.Cli.Commands;

/// <summary>`kmap topic-sizes`: bytes on disk per topic from DescribeLogDirs, largest first, with message counts.</summary>
public static class TopicSizesCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions("--bootstrap-server", "--brokers", "-brokers");
        var topics = new Option<string?>("--topic-list", "--topics") { Description = "only these topics, a,b" };
        var output = new Option<string?>("--output", "-o") { Description = "also write the sizes as JSON to FILE" };
        var format = OutputFormat.Create();
        format.Description = "stdout: table (largest first, human units and bytes) or json (what --output writes)";
        var command = new Command("topic-sizes", """
            Topic sizes from every broker's log directories (DescribeLogDirs): SIZE is one copy of the data
            (the leader replicas), ALL-REPLICAS what the topic costs on disk. Human units and exact bytes.
            MESSAGES is log end minus log start offset (compaction and transaction markers make it differ
            from the number of records a consumer reads).

            Examples:
              kmap topic-sizes --bootstrap-server kafka:9092 --topic-list orders,payments
              kmap topic-sizes --bootstrap-server kafka:9092 --format json | jq -r '.topics[] | "\(.topic) \(.size_bytes)"'
            """);
        foreach (var option in connection.All.Concat([topics, output, format]))
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) => ReportCommand.WithAdminAsync(context, connection, parse, "topic-sizes",
            (admin, settings) => ClusterMapRun.RunAsync(admin, settings, new ClusterMapRequest
            {
                TopicSizes = true,
                TopicSizesJson = parse.GetValue(format) == OutputFormat.Json,
                TopicSizesPath = parse.GetValue(output),
                TopicList = ClusterMapRequest.ParseTopicList(parse.GetValue(topics)),
            }, context, cancellationToken)));
        return command;
    }
}
