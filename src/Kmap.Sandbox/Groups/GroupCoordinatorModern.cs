using System.Text.RegularExpressions;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>
/// The KIP-848 consumer group protocol, after Kafka's GroupMetadataManager.consumerGroupHeartbeat: members join
/// with epoch 0, every membership or subscription change bumps the group epoch, the server-side assignor computes
/// a new target at once, and each member reconciles towards it on its heartbeats: it first gives up (revokes) the
/// partitions it must lose while keeping its epoch, then moves to the new epoch and receives the partitions that
/// nobody else still owns. Share and streams groups are kept as described types with test hooks.
/// </summary>
public sealed partial class GroupCoordinator
{
    private static string ModernSessionKey(string groupId, string memberId) => $"modern-session-{groupId}-{memberId}";

    /// <summary>
    /// Kafka's validateOffsetCommit of consumer and streams groups: a commit with a negative epoch (admin or
    /// group-less client) is accepted only while the group has no members; otherwise the member must exist
    /// (UNKNOWN_MEMBER_ID), consumer members must use OffsetCommit v9+ (UNSUPPORTED_VERSION), and the epoch must
    /// be the member's (greater: FENCED_MEMBER_EPOCH, smaller: STALE_MEMBER_EPOCH). Share groups take no commits.
    /// </summary>
    private static ErrorCode ValidateModernCommit(ModernGroup group, int memberEpoch, string memberId, short version)
    {
        if (group.Type == GroupType.Share)
        {
            return ErrorCode.GroupIdNotFound;
        }
        if (memberEpoch < 0 && group.Members.Count == 0)
        {
            return ErrorCode.None;
        }
        if (!group.Members.TryGetValue(memberId, out var member))
        {
            return ErrorCode.UnknownMemberId;
        }
        if (group.Type == GroupType.Consumer && version < 9)
        {
            return ErrorCode.UnsupportedVersion;
        }
        return ValidateMemberEpoch(memberEpoch, member.MemberEpoch);
    }

    private static ErrorCode ValidateMemberEpoch(int received, int expected) =>
        received > expected ? ErrorCode.FencedMemberEpoch : received < expected ? ErrorCode.StaleMemberEpoch : ErrorCode.None;

    /// <summary>
    /// Kafka's validateOffsetFetch (OffsetFetch v9+): without member id and with a negative epoch anyone may read;
    /// otherwise the member must exist and its epoch match. Caller holds the cluster lock.
    /// </summary>
    public static ErrorCode ValidateOffsetFetch(ConsumerGroup? group, string? memberId, int memberEpoch)
    {
        if (group?.Modern is not { Type: GroupType.Consumer or GroupType.Streams } modern || (memberId is null && memberEpoch < 0))
        {
            return ErrorCode.None;
        }
        return memberId is not null && modern.Members.TryGetValue(memberId, out var member)
            ? ValidateMemberEpoch(memberEpoch, member.MemberEpoch)
            : ErrorCode.UnknownMemberId;
    }

    /// <summary>Whether a live member of a consumer-protocol group consumes <paramref name="topic"/> (for OffsetDelete).</summary>
    private bool IsSubscribedToTopic(ConsumerGroup group, string topic) =>
        group.Modern is { } modern ? modern.Members.Values.Any(m => SubscribedTopics(m).Contains(topic)) : group.IsSubscribedToTopic(topic);

    /// <summary>Handles one ConsumerGroupHeartbeat.</summary>
    public ConsumerGroupHeartbeatOutcome ConsumerGroupHeartbeat(ConsumerGroupHeartbeatCall call)
    {
        lock (Sync)
        {
            var interval = Settings.ConsumerHeartbeatIntervalMs;
            ConsumerGroupHeartbeatOutcome Fail(ErrorCode code, string? message) => new(new ErrorCodeAndMessage(code, message), null, 0, 0, null);

            if (call.GroupId.Length == 0)
            {
                return Fail(ErrorCode.InvalidGroupId, "GroupId can't be empty.");
            }
            if (call.Version >= 1 && call.MemberId.Length == 0)
            {
                return Fail(ErrorCode.InvalidRequest, "MemberId can't be empty.");
            }
            if (call.MemberEpoch == 0 && call.SubscribedTopicNames is null && call.SubscribedTopicRegex is null)
            {
                return Fail(ErrorCode.InvalidRequest, "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
            if (call.ServerAssignor is { } assignor && assignor is not ("uniform" or "range"))
            {
                return Fail(ErrorCode.UnsupportedAssignor, $"ServerAssignor {assignor} is not supported. Supported assignors: uniform, range.");
            }
            if (call.SubscribedTopicRegex is { } regex && !IsValidRegex(regex))
            {
                return Fail(ErrorCode.InvalidRequest, $"SubscribedTopicRegex {regex} is not a valid regular expression.");
            }

            var group = Find(call.GroupId);
            if (group is not null && group.Type != GroupType.Consumer)
            {
                if (group.Type == GroupType.Classic && group.HasNoMembers && call.MemberEpoch == 0)
                {
                    // An empty classic group (e.g. created by an admin offset commit) becomes a consumer group.
                    group.ConvertTo(GroupType.Consumer);
                }
                else if (group.Type == GroupType.Classic)
                {
                    // Kafka would migrate a live classic group member by member; the sandbox does not.
                    return Fail(ErrorCode.GroupIdNotFound, $"Group {call.GroupId} is a classic group with members; the sandbox does not migrate live classic groups.");
                }
                else
                {
                    return Fail(ErrorCode.GroupIdNotFound, $"Group {call.GroupId} is not a consumer group.");
                }
            }

            if (call.MemberEpoch is -1 or -2)
            {
                // Leaving (-1), or a static member leaving for a restart (-2): the sandbox removes both.
                if (group is null)
                {
                    return Fail(ErrorCode.GroupIdNotFound, $"Group {call.GroupId} not found.");
                }
                if (!group.Modern!.Members.ContainsKey(call.MemberId))
                {
                    return Fail(ErrorCode.UnknownMemberId, $"Member {call.MemberId} is not a member of group {call.GroupId}.");
                }
                RemoveModernMember(group, call.MemberId, "left the group");
                return new ConsumerGroupHeartbeatOutcome(ErrorCodeAndMessage.None, call.MemberId, call.MemberEpoch, 0, null);
            }

            if (group is null)
            {
                if (call.MemberEpoch != 0)
                {
                    return Fail(ErrorCode.GroupIdNotFound, $"Consumer group {call.GroupId} not found.");
                }
                group = new ConsumerGroup(call.GroupId);
                group.ConvertTo(GroupType.Consumer);
                _groups[call.GroupId] = group;
                _cluster.Log($"creating consumer group '{call.GroupId}'");
            }
            var modern = group.Modern!;
            var memberId = call.MemberId.Length > 0 ? call.MemberId : Guid.NewGuid().ToString("N");
            var owned = ResolveOwned(call.OwnedPartitions);
            var isNew = false;
            if (!modern.Members.TryGetValue(memberId, out var member))
            {
                if (call.MemberEpoch != 0)
                {
                    return Fail(ErrorCode.UnknownMemberId, $"Member {memberId} is not a member of group {call.GroupId}.");
                }
                member = new ModernMember(memberId);
                modern.Members[memberId] = member;
                isNew = true;
            }
            else if (call.MemberEpoch == 0)
            {
                // A known member rejoining with epoch 0 (after FENCED_MEMBER_EPOCH, say) has abandoned its
                // partitions: it starts over, and what it held is free for the others.
                member.Assigned.Clear();
                member.PendingRevocation.Clear();
                member.PreviousMemberEpoch = -1;
                member.MemberEpoch = 0;
                isNew = true;
            }
            else if (call.MemberEpoch != member.MemberEpoch)
            {
                // Kafka's throwIfMemberEpochIsInvalid: a member one epoch behind may still be acknowledging its
                // assignment; anything else is fenced and must rejoin with epoch 0.
                var lagging = call.MemberEpoch == member.PreviousMemberEpoch && owned is not null && owned.IsSubsetOf(member.Assigned);
                if (!lagging)
                {
                    return Fail(ErrorCode.FencedMemberEpoch, $"The consumer group member has a {(call.MemberEpoch > member.MemberEpoch ? "greater" : "smaller")} member epoch ({call.MemberEpoch}) than the one known by the group coordinator ({member.MemberEpoch}). The member must abandon all its partitions and rejoin.");
                }
            }

            var subscriptionChanged = isNew;
            member.ClientId = call.ClientId;
            member.ClientHost = call.ClientHost;
            member.InstanceId = call.InstanceId ?? member.InstanceId;
            member.RackId = call.RackId ?? member.RackId;
            if (call.RebalanceTimeoutMs > 0)
            {
                member.RebalanceTimeoutMs = call.RebalanceTimeoutMs;
            }
            if (call.SubscribedTopicNames is { } names && !names.Order(StringComparer.Ordinal).SequenceEqual(member.SubscribedTopicNames.Order(StringComparer.Ordinal)))
            {
                member.SubscribedTopicNames = names.ToList();
                subscriptionChanged = true;
            }
            if (call.SubscribedTopicRegex is { } newRegex && newRegex != (member.SubscribedTopicRegex ?? ""))
            {
                member.SubscribedTopicRegex = newRegex.Length == 0 ? null : newRegex;
                subscriptionChanged = true;
            }
            if (call.ServerAssignor is { } chosen && chosen != member.ServerAssignor)
            {
                member.ServerAssignor = chosen;
                subscriptionChanged = true;
            }
            if (subscriptionChanged || SubscriptionSignature(modern) != modern.SubscriptionSignature)
            {
                BumpEpochAndAssign(group);
            }
            Reconcile(modern, member, owned);
            ScheduleModernSession(group.GroupId, memberId);

            var sendAssignment = member.AssignmentChanged || call.MemberEpoch == 0 || call.OwnedPartitions is not null && !member.Assigned.SetEquals(owned ?? []);
            member.AssignmentChanged = false;
            return new ConsumerGroupHeartbeatOutcome(ErrorCodeAndMessage.None, memberId, member.MemberEpoch, interval,
                sendAssignment ? ToTopicIds(member.Assigned) : null);
        }
    }

    private static bool IsValidRegex(string regex)
    {
        try
        {
            _ = new Regex(regex, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private HashSet<GroupTopicPartition>? ResolveOwned(IReadOnlyList<(Guid TopicId, IReadOnlyList<int> Partitions)>? owned)
    {
        if (owned is null)
        {
            return null;
        }
        var set = new HashSet<GroupTopicPartition>();
        foreach (var (topicId, partitions) in owned)
        {
            if (_cluster.Topics.Values.FirstOrDefault(t => t.TopicId == topicId) is { } topic)
            {
                set.UnionWith(partitions.Select(p => new GroupTopicPartition(topic.Name, p)));
            }
        }
        return set;
    }

    private List<(Guid TopicId, IReadOnlyList<int> Partitions)> ToTopicIds(IEnumerable<GroupTopicPartition> partitions) =>
        partitions
            .GroupBy(p => p.Topic, StringComparer.Ordinal)
            .Where(g => _cluster.Topics.ContainsKey(g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (_cluster.Topics[g.Key].TopicId, (IReadOnlyList<int>)g.Select(p => p.Partition).Order().ToList()))
            .ToList();

    /// <summary>The topics a member consumes: its names plus every non-internal topic its regex matches in full.</summary>
    private HashSet<string> SubscribedTopics(ModernMember member)
    {
        var topics = new HashSet<string>(member.SubscribedTopicNames.Where(_cluster.Topics.ContainsKey), StringComparer.Ordinal);
        if (member.SubscribedTopicRegex is { } regex)
        {
            var pattern = new Regex($"^(?:{regex})$", RegexOptions.None, TimeSpan.FromSeconds(1));
            topics.UnionWith(_cluster.Topics.Values.Where(t => !t.IsInternal && pattern.IsMatch(t.Name)).Select(t => t.Name));
        }
        return topics;
    }

    private string SubscriptionSignature(ModernGroup group) =>
        string.Join(',', group.Members.Values.SelectMany(SubscribedTopics).Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal).Select(t => $"{t}:{_cluster.Topics[t].Partitions.Count}"));

    private void BumpEpochAndAssign(ConsumerGroup group)
    {
        var modern = group.Modern!;
        modern.GroupEpoch++;
        modern.SubscriptionSignature = SubscriptionSignature(modern);
        AssignUniform(modern);
        modern.AssignmentEpoch = modern.GroupEpoch;
    }

    /// <summary>
    /// A simple sticky uniform assignor: every partition of a subscribed topic goes to one subscribed member;
    /// a member keeps what it had in the previous target while it has no more than its fair share, the rest goes
    /// to the least loaded subscriber (ties by join order).
    /// </summary>
    private void AssignUniform(ModernGroup group)
    {
        var members = group.Members.Values.ToList();
        var subscriptions = members.ToDictionary(m => m.MemberId, SubscribedTopics, StringComparer.Ordinal);
        var partitions = subscriptions.Values.SelectMany(t => t).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .SelectMany(t => Enumerable.Range(0, _cluster.Topics[t].Partitions.Count).Select(p => new GroupTopicPartition(t, p)))
            .ToList();
        var target = members.ToDictionary(m => m.MemberId, _ => new HashSet<GroupTopicPartition>(), StringComparer.Ordinal);
        var fairShare = members.Count == 0 ? 0 : (partitions.Count + members.Count - 1) / members.Count;
        var unassigned = new List<GroupTopicPartition>();
        foreach (var partition in partitions)
        {
            var previousOwner = group.TargetAssignment.FirstOrDefault(t => t.Value.Contains(partition)).Key;
            if (previousOwner is not null && target.TryGetValue(previousOwner, out var owned)
                && subscriptions[previousOwner].Contains(partition.Topic) && owned.Count < fairShare)
            {
                owned.Add(partition);
            }
            else
            {
                unassigned.Add(partition);
            }
        }
        foreach (var partition in unassigned)
        {
            var receiver = members.Where(m => subscriptions[m.MemberId].Contains(partition.Topic))
                .OrderBy(m => target[m.MemberId].Count).FirstOrDefault();
            if (receiver is not null)
            {
                target[receiver.MemberId].Add(partition);
            }
        }
        group.TargetAssignment.Clear();
        foreach (var (memberId, assignment) in target)
        {
            group.TargetAssignment[memberId] = assignment;
        }
    }

    /// <summary>Kafka's CurrentAssignmentBuilder, simplified: revoke first, then move to the new epoch, then take free partitions.</summary>
    private static void Reconcile(ModernGroup group, ModernMember member, HashSet<GroupTopicPartition>? owned)
    {
        if (member.PendingRevocation.Count > 0)
        {
            if (owned is null || owned.Overlaps(member.PendingRevocation))
            {
                return; // still revoking: the member keeps its epoch until it reports the partitions released
            }
            member.PendingRevocation.Clear();
        }
        var target = group.TargetOf(member.MemberId);
        if (member.MemberEpoch == group.AssignmentEpoch && member.Assigned.SetEquals(target))
        {
            return;
        }
        var revoke = member.Assigned.Where(p => !target.Contains(p)).ToList();
        if (revoke.Count > 0)
        {
            member.Assigned.ExceptWith(revoke);
            member.PendingRevocation.UnionWith(revoke);
            member.AssignmentChanged = true;
            return;
        }
        if (member.MemberEpoch != group.AssignmentEpoch)
        {
            member.PreviousMemberEpoch = member.MemberEpoch;
            member.MemberEpoch = group.AssignmentEpoch;
            member.AssignmentChanged = true;
        }
        var heldByOthers = group.Members.Values.Where(m => m.MemberId != member.MemberId)
            .SelectMany(m => m.Assigned.Concat(m.PendingRevocation)).ToHashSet();
        var free = target.Where(p => !member.Assigned.Contains(p) && !heldByOthers.Contains(p)).ToList();
        if (free.Count > 0)
        {
            member.Assigned.UnionWith(free);
            member.AssignmentChanged = true;
        }
    }

    private void ScheduleModernSession(string groupId, string memberId) =>
        _timers.Schedule(ModernSessionKey(groupId, memberId), TimeSpan.FromMilliseconds(Settings.ConsumerSessionTimeoutMs), () =>
        {
            if (Find(groupId) is { Modern: { } modern } group && modern.Members.ContainsKey(memberId))
            {
                RemoveModernMember(group, memberId, "session timed out");
            }
        });

    private void RemoveModernMember(ConsumerGroup group, string memberId, string why)
    {
        var modern = group.Modern!;
        _timers.Cancel(ModernSessionKey(group.GroupId, memberId));
        modern.Members.Remove(memberId);
        modern.TargetAssignment.Remove(memberId);
        _cluster.Log($"group '{group.GroupId}': member {memberId} {why}");
        BumpEpochAndAssign(group);
    }

    // ---------------------------------------------------------------- test hooks (SandboxCluster)

    /// <summary>Creates (or finds) a memberless group of <paramref name="type"/>; fails if the id is taken by another type.</summary>
    public ConsumerGroup CreateGroup(string groupId, GroupType type)
    {
        lock (Sync)
        {
            if (Find(groupId) is { } existing)
            {
                if (existing.Type != type)
                {
                    throw new InvalidOperationException($"group '{groupId}' already exists as a {existing.Type.WireName()} group");
                }
                return existing;
            }
            var group = new ConsumerGroup(groupId);
            group.ConvertTo(type);
            _groups[groupId] = group;
            return group;
        }
    }

    /// <summary>Adds a member that never heartbeats and never expires (a test hook), and assigns it partitions.</summary>
    public string AddStaticTestMember(string groupId, IReadOnlyList<string> topics, string clientId)
    {
        lock (Sync)
        {
            var group = Find(groupId) ?? throw new InvalidOperationException($"group '{groupId}' does not exist");
            var modern = group.Modern ?? throw new InvalidOperationException($"group '{groupId}' is a classic group; join it with a classic consumer instead");
            var member = new ModernMember(Guid.NewGuid().ToString("N")) { ClientId = clientId, ClientHost = "/127.0.0.1", SubscribedTopicNames = topics.ToList() };
            modern.Members[member.MemberId] = member;
            if (modern.Type == GroupType.Share)
            {
                modern.AssignorName = "simple";
            }
            BumpEpochAndAssign(group);
            Reconcile(modern, member, owned: []);
            return member.MemberId;
        }
    }

    /// <summary>Removes a member added by <see cref="AddStaticTestMember"/> (or any modern member), as if it left.</summary>
    public void RemoveTestMember(string groupId, string memberId)
    {
        lock (Sync)
        {
            if (Find(groupId) is { Modern: { } modern } group && modern.Members.ContainsKey(memberId))
            {
                RemoveModernMember(group, memberId, "was removed by the test hook");
            }
        }
    }

    /// <summary>Sets a share-partition's start offset without checks (a test hook).</summary>
    public void SeedShareStartOffset(string groupId, string topic, int partition, long startOffset)
    {
        lock (Sync)
        {
            var group = Find(groupId) ?? throw new InvalidOperationException($"group '{groupId}' does not exist");
            var share = group.Modern is { Type: GroupType.Share } modern ? modern : throw new InvalidOperationException($"group '{groupId}' is not a share group");
            share.ShareStartOffsets[new GroupTopicPartition(topic, partition)] = startOffset;
        }
    }

    /// <summary>Commits an offset into a group of any type without checks (a test hook for streams groups).</summary>
    public void SeedOffset(string groupId, string topic, int partition, long offset)
    {
        lock (Sync)
        {
            var group = Find(groupId) ?? throw new InvalidOperationException($"group '{groupId}' does not exist");
            group.Commit(topic, partition, new CommittedOffset(offset, -1, "", _cluster.NowMs));
        }
    }
}
