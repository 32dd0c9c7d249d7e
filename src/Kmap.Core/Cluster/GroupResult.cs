namespace Kmap.Core.Cluster;

/// <summary>What happened to one group of a write; Error is null on success.</summary>
public sealed record GroupResult(string Group, string? Error)
{
    public bool Succeeded => Error is null;
}
