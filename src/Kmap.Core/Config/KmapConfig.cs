namespace Kmap.Core.Config;

/// <summary>The kmap config file: named cluster contexts and the one used when none is named.</summary>
public sealed record KmapConfig
{
    public static readonly KmapConfig Empty = new();

    public string? CurrentContext { get; init; }
    public IReadOnlyList<ClusterContext> Contexts { get; init; } = [];

    public ClusterContext? Find(string name) => Contexts.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>This config with the context added, or replaced when one of that name exists (order kept).</summary>
    public KmapConfig With(ClusterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var contexts = Contexts.ToList();
        var index = contexts.FindIndex(c => string.Equals(c.Name, context.Name, StringComparison.Ordinal));
        if (index >= 0)
        {
            contexts[index] = context;
        }
        else
        {
            contexts.Add(context);
        }
        return this with { Contexts = contexts };
    }
}
