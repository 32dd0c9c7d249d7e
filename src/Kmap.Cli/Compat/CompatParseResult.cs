namespace Kmap.Cli.Compat;

/// <summary>Flag values by canonical name, or the usage error.</summary>
internal sealed record CompatParseResult(IReadOnlyDictionary<string, string> Values, string? Error)
{
    public static CompatParseResult Fail(string error) => new(new Dictionary<string, string>(), error);

    public string? Get(string name) => Values.TryGetValue(name, out var v) ? v : null;

    public bool IsSet(string name) => Values.ContainsKey(name);

    public bool Flag(string name) => Values.TryGetValue(name, out var v) && v == "true";
}
