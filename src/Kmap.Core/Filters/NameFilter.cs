namespace Kmap.Core.Filters;

/// <summary>
/// Include/exclude patterns for group or topic names: a name passes when it matches some include (or there
/// are none) and no exclude.
/// </summary>
public sealed record NameFilter(IReadOnlyList<NamePattern> Includes, IReadOnlyList<NamePattern> Excludes)
{
    public static NameFilter All { get; } = new([], []);

    public bool IsAll => Includes.Count == 0 && Excludes.Count == 0;

    public bool Matches(string name) =>
        (Includes.Count == 0 || Includes.Any(p => p.Matches(name))) && !Excludes.Any(p => p.Matches(name));

    /// <summary>Each argument may hold several comma-separated patterns (a regex with a comma: give it alone, prefixed re:).</summary>
    public static NameFilter Parse(IEnumerable<string>? includes, IEnumerable<string>? excludes) =>
        new(Split(includes), Split(excludes));

    private static List<NamePattern> Split(IEnumerable<string>? values) =>
        (values ?? [])
            .SelectMany(v => v.StartsWith("re:", StringComparison.Ordinal) ? [v] : v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(NamePattern.Parse)
            .ToList();
}
