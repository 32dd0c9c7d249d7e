namespace Kmap.Core.Model;

/// <summary>A group as ListGroups reports it.</summary>
public sealed record GroupListing(string Group, string State)
{
    /// <summary>classic or consumer (KIP-848); null when the broker does not say.</summary>
    public string? Type { get; init; }
    public bool IsSimple { get; init; }
}
