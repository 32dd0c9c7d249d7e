using Kmap.Core.ClusterMap;
using Interval = Kmap.Core.ClusterMap.LagSampleInterval;

namespace Kmap.Cli.Commands.ClusterMap;

/// <summary>Which cluster-map outputs one run writes. A null path is an output not asked for; "-" is stdout.</summary>
internal sealed record ClusterMapRequest
{
    public string? JsonPath { get; init; }
    public string? HtmlPath { get; init; }
    public string? DotPath { get; init; }
    public string? RecreateScriptPath { get; init; }

    /// <summary>Print the map as tables on stdout (`kmap report --format table`).</summary>
    public bool Table { get; init; }

    /// <summary>Print the topic sizes on stdout (a table, or JSON with TopicSizesJson).</summary>
    public bool TopicSizes { get; init; }

    /// <summary>With TopicSizes: JSON on stdout instead of the table (`kmap topic-sizes --format json`).</summary>
    public bool TopicSizesJson { get; init; }

    public string? TopicSizesPath { get; init; }

    /// <summary>Topics to size; null means all.</summary>
    public IReadOnlyList<string>? TopicList { get; init; }

    public bool WantsSizes => TopicSizes || TopicSizesPath is not null;

    /// <summary>Wait between the two lag samples; zero (the default) takes one sample: no lag growth, no wait.</summary>
    public TimeSpan LagSampleInterval { get; init; } = Interval.Default;

    /// <summary>A previous cluster JSON of the same cluster to measure lag growth against (instead of a second sample).</summary>
    public string? PreviousPath { get; init; }

    /// <summary>Lag growth shows only in the cluster JSON, the HTML report and the tables; nothing else waits for it.</summary>
    public bool WantsLagGrowth => JsonPath is not null || HtmlPath is not null || Table;

    /// <summary>What the Go tool wrote when given no output flag: the cluster JSON and the HTML report.</summary>
    public static ClusterMapRequest Defaults { get; } = new() { JsonPath = ClusterMapJson.DefaultFileName, HtmlPath = DefaultHtmlFileName };

    public const string DefaultHtmlFileName = "kafka-cluster-report.html";

    /// <summary>`-output json` means the default file name, as in the Go tool.</summary>
    public static string? JsonOutput(string? value) => value == "json" ? ClusterMapJson.DefaultFileName : value;

    public static IReadOnlyList<string>? ParseTopicList(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
