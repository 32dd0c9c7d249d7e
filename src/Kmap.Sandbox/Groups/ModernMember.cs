namespace Kmap.Sandbox.Groups;

/// <summary>
/// A member of a consumer, share or streams group (Kafka's ConsumerGroupMember and its siblings). The coordinator
/// owns the assignment: <see cref="Assigned"/> is what the member was told it may own, <see cref="PendingRevocation"/>
/// what it still owns but must give up before it moves to the group's new assignment epoch.
/// </summary>
public sealed class ModernMember
{
    public ModernMember(string memberId) => MemberId = memberId;

    public string MemberId { get; }
    public string? InstanceId { get; set; }
    public string? RackId { get; set; }
    public string ClientId { get; set; } = "";
    public string ClientHost { get; set; } = "";
    public int MemberEpoch { get; set; }
    public int PreviousMemberEpoch { get; set; } = -1;
    public int RebalanceTimeoutMs { get; set; } = 300_000;
    public IReadOnlyList<string> SubscribedTopicNames { get; set; } = [];
    public string? SubscribedTopicRegex { get; set; }
    public string? ServerAssignor { get; set; }
    public HashSet<GroupTopicPartition> Assigned { get; } = [];
    public HashSet<GroupTopicPartition> PendingRevocation { get; } = [];

    /// <summary>Set when <see cref="Assigned"/> changed since the member last heard it.</summary>
    public bool AssignmentChanged { get; set; }

    /// <summary>Streams members only: the process they run in.</summary>
    public string ProcessId { get; set; } = "";
}
