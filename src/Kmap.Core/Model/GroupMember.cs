namespace Kmap.Core.Model;

/// <summary>A live member of a group and the partitions assigned to it.</summary>
public sealed record GroupMember(string MemberId, string ClientId, string Host, IReadOnlyList<TopicPartition> Assignment)
{
    public string? GroupInstanceId { get; init; }
}
