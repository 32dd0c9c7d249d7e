namespace Kmap.Cli.Compat;

/// <summary>One flag of the Go tool: its name, aliases, whether it is a boolean, and its help line.</summary>
internal sealed record GoFlag(string Name, bool IsBool, string Help, string? ValueName = null)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Accepted so old command lines parse, but the feature belongs to a later release: refused with a clear message.</summary>
    public bool NotYetSupported { get; init; }
}
