namespace Kmap.Sandbox.Groups;

/// <summary>
/// What a consumer, share or streams group has beyond its committed offsets (which stay in
/// <see cref="ConsumerGroup.Offsets"/>): members, the group epoch (bumped by every membership or subscription
/// change), the epoch of the target assignment, and that target. The sandbox computes the target at once, so
/// the assignment epoch always catches up with the group epoch and a group is never seen "Assigning".
/// </summary>
public sealed class ModernGroup
{
    public ModernGroup(GroupType type) => Type = type;

    public GroupType Type { get; }
    public int GroupEpoch { get; set; }
    public int AssignmentEpoch { get; set; }
    public string AssignorName { get; set; } = "uniform";

    /// <summary>Members in join order.</summary>
    public OrderedDictionary<string, ModernMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>member id → the partitions the assignor gave it for <see cref="AssignmentEpoch"/>.</summary>
    public Dictionary<string, HashSet<GroupTopicPartition>> TargetAssignment { get; } = new(StringComparer.Ordinal);

    /// <summary>The topics and partition counts the target was computed for; a change bumps the group epoch.</summary>
    public string SubscriptionSignature { get; set; } = "";

    /// <summary>Share groups only: where consumption starts on each partition (the share-partition start offset).</summary>
    public Dictionary<GroupTopicPartition, long> ShareStartOffsets { get; } = [];

    public HashSet<GroupTopicPartition> TargetOf(string memberId) =>
        TargetAssignment.TryGetValue(memberId, out var target) ? target : [];

    /// <summary>Whether a member has reached the target assignment of the current assignment epoch.</summary>
    public bool IsStable(ModernMember member) =>
        member.MemberEpoch == AssignmentEpoch && member.PendingRevocation.Count == 0 && member.Assigned.SetEquals(TargetOf(member.MemberId));

    /// <summary>
    /// The state string Kafka sends: consumer groups are Empty, Assigning, Reconciling or Stable (ConsumerGroupState);
    /// share groups Empty or Stable; streams groups Empty, NotReady, Assigning, Reconciling or Stable.
    /// </summary>
    public string StateName()
    {
        if (Members.Count == 0)
        {
            return "Empty";
        }
        if (Type == GroupType.Share)
        {
            return "Stable";
        }
        if (GroupEpoch > AssignmentEpoch)
        {
            return "Assigning";
        }
        return Members.Values.All(IsStable) ? "Stable" : "Reconciling";
    }
}
