namespace Kmap.Sandbox.Groups;

/// <summary>
/// One member of a classic group (Kafka's ClassicGroupMember). A parked JoinGroup or SyncGroup is a
/// waiter completed by the coordinator; no thread blocks on it.
/// </summary>
public sealed class GroupMember
{
    public GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost,
        int rebalanceTimeoutMs, int sessionTimeoutMs, string protocolType, IReadOnlyList<MemberProtocol> protocols)
    {
        MemberId = memberId;
        GroupInstanceId = groupInstanceId;
        ClientId = clientId;
        ClientHost = clientHost;
        RebalanceTimeoutMs = rebalanceTimeoutMs;
        SessionTimeoutMs = sessionTimeoutMs;
        ProtocolType = protocolType;
        Protocols = protocols;
    }

    public string MemberId { get; set; }
    public string? GroupInstanceId { get; }
    public string ClientId { get; set; }
    public string ClientHost { get; set; }
    public int RebalanceTimeoutMs { get; set; }
    public int SessionTimeoutMs { get; set; }
    public string ProtocolType { get; }
    public IReadOnlyList<MemberProtocol> Protocols { get; set; }

    /// <summary>The assignment bytes the leader gave this member in the last SyncGroup; empty before.</summary>
    public byte[] Assignment { get; set; } = [];

    /// <summary>True until the member's first JoinGroup completes: new members can expire even while awaiting join.</summary>
    public bool IsNew { get; set; }

    public TaskCompletionSource<JoinGroupOutcome>? JoinWaiter { get; set; }
    public TaskCompletionSource<SyncGroupOutcome>? SyncWaiter { get; set; }

    public bool IsAwaitingJoin => JoinWaiter is not null;
    public bool IsAwaitingSync => SyncWaiter is not null;
    public bool IsStatic => GroupInstanceId is not null;

    /// <summary>Members taking part in a rebalance satisfy heartbeats implicitly (Kafka's hasSatisfiedHeartbeat).</summary>
    public bool HasSatisfiedHeartbeat => !IsNew && (IsAwaitingJoin || IsAwaitingSync);

    public byte[] MetadataFor(string protocolName) =>
        Protocols.FirstOrDefault(p => p.Name == protocolName)?.Metadata ?? [];

    /// <summary>Same protocols, same order, same bytes: a rejoin that changes nothing.</summary>
    public bool Matches(IReadOnlyList<MemberProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }
        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The member's first listed protocol among those every member supports.</summary>
    public string Vote(IReadOnlySet<string> candidates) =>
        Protocols.First(p => candidates.Contains(p.Name)).Name;

    public void CompleteJoin(JoinGroupOutcome outcome)
    {
        var waiter = JoinWaiter;
        JoinWaiter = null;
        waiter?.TrySetResult(outcome);
    }

    public bool CompleteSync(SyncGroupOutcome outcome)
    {
        var waiter = SyncWaiter;
        SyncWaiter = null;
        return waiter is not null && waiter.TrySetResult(outcome);
    }
}
