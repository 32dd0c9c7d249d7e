using Kmap.Core.ClusterMap;

namespace Kmap.Cli.Commands.ClusterMap;

/// <summary>Which cluster-map outputs one run writes. A null path is an output not asked for; "-" is stdout.</summary>
internal sealed record ClusterMapRequest
{
    public string? JsonPath { get; init; }
    public string? HtmlPath { get; init; }
    public string? DotPath { get; init; }
    public string? RecreateScriptPath { get; init; }

    /// <summary>Print the topic sizes table on stdout.</summary>
    public bool TopicSizes { get; init; }

    public string? TopicSizesPath { get; init; }

    /// <summary>Topics to size; null means all.</summary>
    public IReadOnlyList<string>? TopicList { get; init; }

    public bool WantsSizes => TopicSizes || TopicSizesPath is not null;

    /// <summary>What the Go tool wrote when given no output flag: the cluster JSON and the HTML report.</summary>
    public static ClusterMapRequest Defaults { get; } = new() { JsonPath = ClusterMapJson.DefaultFileName, HtmlPath = DefaultHtmlFileName };

    public const string DefaultHtmlFileName = "kafka-cluster-info.html";

    /// <summary>`-output json` means the default file name, as in the Go tool.</summary>
    public static string? JsonOutput(string? value) => value == "json" ? ClusterMapJson.DefaultFileName : value;

    public static IReadOnlyList<string>? ParseTopicList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
