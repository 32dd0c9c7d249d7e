namespace Kmap.Core.Model;

/// <summary>A group as DescribeGroups (classic) or Consumer/Streams/ShareGroupDescribe report it.</summary>
public sealed record GroupDescription(string Group, string State, IReadOnlyList<GroupMember> Members)
{
    /// <summary>classic, consumer, streams or share (<see cref="GroupType"/>); null when not known (classic).</summary>
    public string? Type { get; init; }
    public string? PartitionAssignor { get; init; }
    public string? Coordinator { get; init; }
    public int? CoordinatorId { get; init; }
    public string? Error { get; init; }
}
