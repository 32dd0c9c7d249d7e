namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>The parsed command line of one `kmap consumer-groups` run.</summary>
internal sealed record ConsumerGroupsRequest
{
    public required IReadOnlyList<string> Groups { get; init; }
    public bool AllGroups { get; init; }
    public IReadOnlyList<string> Topics { get; init; } = [];
    public bool AllTopics { get; init; }
    public bool StateGiven { get; init; }
    public string? StateFilter { get; init; }
    /// <summary>--type given (with --list: a TYPE column), and its value: the types to keep (empty: all).</summary>
    public bool TypeGiven { get; init; }
    public string? TypeFilter { get; init; }
    public bool Members { get; init; }
    public bool Verbose { get; init; }
    public bool Execute { get; init; }
    public bool Export { get; init; }

    /// <summary>--format json: tables as one JSON array on stdout, messages on stderr.</summary>
    public bool Json { get; init; }
}
