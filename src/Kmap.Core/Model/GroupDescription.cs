namespace Kmap.Core.Model;

/// <summary>A group as DescribeGroups reports it.</summary>
public sealed record GroupDescription(string Group, string State, IReadOnlyList<GroupMember> Members)
{
    public string? PartitionAssignor { get; init; }
    public string? Coordinator { get; init; }
    public int? CoordinatorId { get; init; }
    public string? Error { get; init; }
}
