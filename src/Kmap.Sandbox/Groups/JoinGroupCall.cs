namespace Kmap.Sandbox.Groups;

/// <summary>What a JoinGroup asks of the coordinator, independent of the wire version.</summary>
public sealed record JoinGroupCall(
    string GroupId,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<MemberProtocol> Protocols,
    string ClientId,
    string ClientHost,
    bool RequireKnownMemberId,
    bool SupportsSkippingAssignment = false);
