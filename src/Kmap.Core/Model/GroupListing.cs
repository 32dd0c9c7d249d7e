namespace Kmap.Core.Model;

/// <summary>A group as ListGroups reports it.</summary>
public sealed record GroupListing(string Group, string State)
{
    /// <summary>classic, consumer, streams or share (<see cref="GroupType"/>); null when the broker does not say (before ListGroups v5: classic).</summary>
    public string? Type { get; init; }
    public bool IsSimple { get; init; }
}
