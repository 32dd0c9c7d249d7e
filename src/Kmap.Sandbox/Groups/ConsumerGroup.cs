using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>
/// A classic consumer group (Kafka's ClassicGroup): its members, generation, chosen protocol and committed
/// offsets. Callers hold <see cref="Cluster.ClusterState.Sync"/>; the rebalance logic lives in <see cref="GroupCoordinator"/>.
/// </summary>
public sealed class ConsumerGroup
{
    private readonly Dictionary<string, int> _supportedProtocols = new(StringComparer.Ordinal);

    public ConsumerGroup(string groupId) => GroupId = groupId;

    public string GroupId { get; }
    public GroupState State { get; private set; } = GroupState.Empty;
    public GroupState PreviousState { get; private set; } = GroupState.Empty;
    public int GenerationId { get; private set; }

    /// <summary>Set by the first member ever to join and kept afterwards; null for groups created by offset commits.</summary>
    public string? ProtocolType { get; private set; }
    public string? ProtocolName { get; private set; }
    public string? LeaderId { get; private set; }

    /// <summary>Members in join order (the first joiner leads).</summary>
    public OrderedDictionary<string, GroupMember> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>Member ids handed out with MEMBER_ID_REQUIRED whose owners have not rejoined yet.</summary>
    public HashSet<string> PendingMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Members that got their JoinGroup response but have not sent SyncGroup yet.</summary>
    public HashSet<string> PendingSyncMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>group.instance.id → member id of the static members.</summary>
    public Dictionary<string, string> StaticMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when a member joins during the initial rebalance delay, which then extends the delay.</summary>
    public bool NewMemberAdded { get; set; }

    /// <summary>Topics the members subscribe to, when the group uses the consumer protocol; null when unknown.</summary>
    public IReadOnlySet<string>? SubscribedTopics { get; private set; }

    /// <summary>topic → partition → committed offset.</summary>
    public Dictionary<string, Dictionary<int, CommittedOffset>> Offsets { get; } = new(StringComparer.Ordinal);

    public bool IsEmptyOfMembers => Members.Count == 0;

    /// <summary>The group's type; classic unless a consumer, share or streams member (or a test hook) made it otherwise.</summary>
    public GroupType Type => Modern?.Type ?? GroupType.Classic;

    /// <summary>Members, epochs and assignment of a consumer, share or streams group; null for a classic group.</summary>
    public ModernGroup? Modern { get; private set; }

    /// <summary>Empty in Kafka's sense for every type: a classic group in state Empty, a modern group without members.</summary>
    public bool HasNoMembers => Modern is { } modern ? modern.Members.Count == 0 : State == GroupState.Empty;

    /// <summary>
    /// Turns a memberless group into a group of another type, keeping its committed offsets (Kafka converts an
    /// empty classic group when a consumer-protocol member joins it, and back). Consumer groups report the
    /// protocol type "consumer", share and streams groups "share" and "streams", as Kafka's ListGroups does.
    /// </summary>
    public void ConvertTo(GroupType type)
    {
        if (type == Type)
        {
            return;
        }
        Modern = type == GroupType.Classic ? null : new ModernGroup(type);
        ProtocolType = type == GroupType.Classic ? ProtocolType : type.WireName();
    }
    public bool UsesConsumerProtocol => ProtocolType == "consumer";
    public bool CanRebalance => State is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty;
    public bool HasAllMembersJoined => PendingMembers.Count == 0 && Members.Values.All(m => m.IsAwaitingJoin);
    public int RebalanceTimeoutMs => Members.Count == 0 ? 0 : Members.Values.Max(m => m.RebalanceTimeoutMs);

    /// <summary>Sets the protocol type of a memberless group loaded from storage.</summary>
    public void RestoreProtocolType(string? protocolType)
    {
        if (Members.Count == 0)
        {
            ProtocolType = protocolType;
        }
    }

    public void TransitionTo(GroupState state)
    {
        PreviousState = State;
        State = state;
    }

    public bool IsLeader(string memberId) => LeaderId == memberId;

    public GroupMember? Member(string memberId) => Members.GetValueOrDefault(memberId);

    public void Add(GroupMember member)
    {
        if (member.GroupInstanceId is not null)
        {
            StaticMembers[member.GroupInstanceId] = member.MemberId;
        }
        if (Members.Count == 0)
        {
            ProtocolType = member.ProtocolType;
        }
        LeaderId ??= member.MemberId;
        Members[member.MemberId] = member;
        CountProtocols(member, +1);
    }

    public void Remove(string memberId)
    {
        if (Members.Remove(memberId, out var removed))
        {
            // A removed member's parked JoinGroup or SyncGroup must not hang: it hears that it is gone.
            removed.CompleteJoin(JoinGroupOutcome.Failed(ErrorCode.UnknownMemberId, ""));
            removed.CompleteSync(SyncGroupOutcome.Failed(ErrorCode.UnknownMemberId));
            CountProtocols(removed, -1);
            if (removed.GroupInstanceId is not null)
            {
                StaticMembers.Remove(removed.GroupInstanceId);
            }
        }
        if (IsLeader(memberId))
        {
            LeaderId = Members.Count > 0 ? Members.GetAt(0).Key : null;
        }
        PendingMembers.Remove(memberId);
        PendingSyncMembers.Remove(memberId);
    }

    /// <summary>
    /// A static member came back under a new member id: the new id takes the old one's place, assignment and
    /// leadership. Whoever still waits under the old id is fenced.
    /// </summary>
    public GroupMember ReplaceStaticMember(string groupInstanceId, string oldMemberId, string newMemberId, string clientHost)
    {
        var old = Members[oldMemberId];
        Members.Remove(oldMemberId);
        old.CompleteJoin(JoinGroupOutcome.Failed(ErrorCode.FencedInstanceId, oldMemberId));
        old.CompleteSync(SyncGroupOutcome.Failed(ErrorCode.FencedInstanceId));
        var replacement = new GroupMember(newMemberId, groupInstanceId, old.ClientId, clientHost,
            old.RebalanceTimeoutMs, old.SessionTimeoutMs, old.ProtocolType, old.Protocols)
        {
            Assignment = old.Assignment,
        };
        Members[newMemberId] = replacement;
        if (IsLeader(oldMemberId))
        {
            LeaderId = newMemberId;
        }
        StaticMembers[groupInstanceId] = newMemberId;
        PendingSyncMembers.Remove(oldMemberId);
        return replacement;
    }

    /// <summary>Replaces a member's protocols (a rejoin with new metadata).</summary>
    public void UpdateProtocols(GroupMember member, IReadOnlyList<MemberProtocol> protocols)
    {
        CountProtocols(member, -1);
        member.Protocols = protocols;
        CountProtocols(member, +1);
    }

    private void CountProtocols(GroupMember member, int delta)
    {
        foreach (var protocol in member.Protocols.Select(p => p.Name).Distinct(StringComparer.Ordinal))
        {
            _supportedProtocols[protocol] = _supportedProtocols.GetValueOrDefault(protocol) + delta;
        }
    }

    /// <summary>Whether a member with these protocols could join: same protocol type and one protocol everyone speaks.</summary>
    public bool SupportsProtocols(string protocolType, IReadOnlyList<MemberProtocol> protocols)
    {
        if (State == GroupState.Empty)
        {
            return protocolType.Length > 0 && protocols.Count > 0;
        }
        return ProtocolType == protocolType
            && protocols.Any(p => _supportedProtocols.GetValueOrDefault(p.Name) == Members.Count);
    }

    /// <summary>Static members that did not rejoin keep their place; dynamic ones are dropped when the join phase ends.</summary>
    public List<GroupMember> NotYetRejoinedMembers() => Members.Values.Where(m => !m.IsAwaitingJoin).ToList();

    /// <summary>When the leader did not rejoin, any member that did takes over. False if nobody rejoined.</summary>
    public bool MaybeElectNewJoinedLeader()
    {
        if (LeaderId is null || Member(LeaderId) is not { } leader)
        {
            return false;
        }
        if (leader.IsAwaitingJoin)
        {
            return true;
        }
        var joined = Members.Values.FirstOrDefault(m => m.IsAwaitingJoin);
        if (joined is null)
        {
            return false;
        }
        LeaderId = joined.MemberId;
        return true;
    }

    public void InitNextGeneration()
    {
        GenerationId++;
        if (Members.Count > 0)
        {
            ProtocolName = SelectProtocol();
            SubscribedTopics = ComputeSubscribedTopics();
            TransitionTo(GroupState.CompletingRebalance);
        }
        else
        {
            ProtocolName = null;
            SubscribedTopics = ComputeSubscribedTopics();
            TransitionTo(GroupState.Empty);
        }
        PendingSyncMembers.Clear();
    }

    /// <summary>Each member votes for its first protocol that all members support; most votes wins.</summary>
    public string SelectProtocol()
    {
        var candidates = _supportedProtocols.Where(p => p.Value == Members.Count).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        return Members.Values
            .Select(m => m.Vote(candidates))
            .GroupBy(name => name, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .First().Key;
    }

    private HashSet<string>? ComputeSubscribedTopics()
    {
        if (!UsesConsumerProtocol)
        {
            return null;
        }
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (ProtocolName is null)
        {
            return Members.Count == 0 ? topics : null;
        }
        foreach (var member in Members.Values)
        {
            var subscribed = ConsumerSubscription.TryReadTopics(member.MetadataFor(ProtocolName));
            if (subscribed is null)
            {
                return null;
            }
            topics.UnionWith(subscribed);
        }
        return topics;
    }

    /// <summary>Kafka: a consumer group whose subscriptions cannot be read counts as subscribed to everything.</summary>
    public bool IsSubscribedToTopic(string topic) =>
        SubscribedTopics is not null ? SubscribedTopics.Contains(topic) : UsesConsumerProtocol;

    /// <summary>Kafka's validateMember: a static member must be the current holder of its instance id; the member must exist.</summary>
    public ErrorCode ValidateMember(string memberId, string? groupInstanceId)
    {
        if (groupInstanceId is not null)
        {
            if (!StaticMembers.TryGetValue(groupInstanceId, out var existing))
            {
                return ErrorCode.UnknownMemberId;
            }
            if (existing != memberId)
            {
                return ErrorCode.FencedInstanceId;
            }
        }
        return Members.ContainsKey(memberId) ? ErrorCode.None : ErrorCode.UnknownMemberId;
    }

    public List<JoinedMember> JoinedMembers() =>
        Members.Values.Select(m => new JoinedMember(m.MemberId, m.GroupInstanceId, m.MetadataFor(ProtocolName ?? ""))).ToList();

    public int CommittedPartitionCount => Offsets.Values.Sum(t => t.Count);

    public void Commit(string topic, int partition, CommittedOffset offset)
    {
        if (!Offsets.TryGetValue(topic, out var partitions))
        {
            partitions = [];
            Offsets[topic] = partitions;
        }
        partitions[partition] = offset;
    }

    public CommittedOffset? Committed(string topic, int partition) =>
        Offsets.TryGetValue(topic, out var partitions) && partitions.TryGetValue(partition, out var offset) ? offset : null;

    public void DeleteOffset(string topic, int partition)
    {
        if (Offsets.TryGetValue(topic, out var partitions) && partitions.Remove(partition) && partitions.Count == 0)
        {
            Offsets.Remove(topic);
        }
    }
}
