using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// JoinGroup v0–9 (rebalance timeout from v1, throttle from v2, MEMBER_ID_REQUIRED from v4, group instance id
/// from v5, flexible from v6, protocol type in the response and nullable protocol name from v7, reason from v8,
/// skip_assignment from v9).
/// </summary>
public sealed record JoinGroupRequest(
    string GroupId,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string MemberId,
    string? GroupInstanceId,
    string ProtocolType,
    IReadOnlyList<JoinGroupRequestProtocol> Protocols,
    string? Reason) : IKafkaMessage<JoinGroupRequest>
{
    public static JoinGroupRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var session = reader.Int32();
        var rebalance = version >= 1 ? reader.Int32() : -1;
        var memberId = reader.String();
        var instanceId = version >= 5 ? reader.NullableString() : null;
        var protocolType = reader.String();
        var protocols = reader.Array(r =>
        {
            var protocol = new JoinGroupRequestProtocol(r.String(), r.Bytes());
            r.TaggedFields();
            return protocol;
        });
        var reason = version >= 8 ? reader.NullableString() : null;
        reader.TaggedFields();
        return new JoinGroupRequest(groupId, session, rebalance, memberId, instanceId, protocolType, protocols, reason);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        writer.Int32(SessionTimeoutMs);
        if (version >= 1)
        {
            writer.Int32(RebalanceTimeoutMs);
        }
        writer.String(MemberId);
        if (version >= 5)
        {
            writer.NullableString(GroupInstanceId);
        }
        writer.String(ProtocolType);
        writer.Array(Protocols.ToList(), (w, p) =>
        {
            w.String(p.Name);
            w.Bytes(p.Metadata);
            w.TaggedFields();
        });
        if (version >= 8)
        {
            writer.NullableString(Reason);
        }
        writer.TaggedFields();
    }
}

public sealed record JoinGroupRequestProtocol(string Name, byte[] Metadata);

public sealed record JoinGroupResponseMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

public sealed record JoinGroupResponse(
    int ThrottleTimeMs,
    ErrorCode ErrorCode,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string Leader,
    bool SkipAssignment,
    string MemberId,
    IReadOnlyList<JoinGroupResponseMember> Members) : IKafkaMessage<JoinGroupResponse>
{
    public static JoinGroupResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 2 ? reader.Int32() : 0;
        var error = (ErrorCode)reader.Int16();
        var generation = reader.Int32();
        var protocolType = version >= 7 ? reader.NullableString() : null;
        var protocolName = version >= 7 ? reader.NullableString() : reader.String();
        var leader = reader.String();
        var skip = version >= 9 && reader.Bool();
        var memberId = reader.String();
        var members = reader.Array(r =>
        {
            var id = r.String();
            var instanceId = version >= 5 ? r.NullableString() : null;
            var member = new JoinGroupResponseMember(id, instanceId, r.Bytes());
            r.TaggedFields();
            return member;
        });
        reader.TaggedFields();
        return new JoinGroupResponse(throttle, error, generation, protocolType, protocolName, leader, skip, memberId, members);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 2)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Int16((short)ErrorCode);
        writer.Int32(GenerationId);
        if (version >= 7)
        {
            writer.NullableString(ProtocolType);
            writer.NullableString(ProtocolName);
        }
        else
        {
            writer.String(ProtocolName ?? "");
        }
        writer.String(Leader);
        if (version >= 9)
        {
            writer.Bool(SkipAssignment);
        }
        writer.String(MemberId);
        writer.Array(Members.ToList(), (w, m) =>
        {
            w.String(m.MemberId);
            if (version >= 5)
            {
                w.NullableString(m.GroupInstanceId);
            }
            w.Bytes(m.Metadata);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>Parks the join in the coordinator until the rebalance's join phase ends; the connection waits, no thread does.</summary>
public sealed class JoinGroupHandler : ApiHandler<JoinGroupRequest, JoinGroupResponse>
{
    public override ApiKey Key => ApiKey.JoinGroup;
    public override short MinVersion => 0;
    public override short MaxVersion => 9;
    public override short FirstFlexibleVersion => 6;

    protected override async ValueTask<JoinGroupResponse?> HandleAsync(RequestContext context, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        JoinGroupOutcome outcome;
        if (!coordinator.IsCoordinator(context.Broker, request.GroupId))
        {
            outcome = JoinGroupOutcome.Failed(ErrorCode.NotCoordinator, request.MemberId);
        }
        else
        {
            var call = new JoinGroupCall(
                request.GroupId,
                request.SessionTimeoutMs,
                // v0 has no rebalance timeout: Kafka uses the session timeout.
                context.Version >= 1 ? request.RebalanceTimeoutMs : request.SessionTimeoutMs,
                request.MemberId,
                request.GroupInstanceId,
                request.ProtocolType,
                request.Protocols.Select(p => new MemberProtocol(p.Name, p.Metadata)).ToList(),
                context.ClientId,
                "/" + context.ClientHost,
                RequireKnownMemberId: context.Version >= 4,
                SupportsSkippingAssignment: context.Version >= 9);
            outcome = await coordinator.JoinAsync(call).WaitAsync(cancellationToken);
        }
        return new JoinGroupResponse(0, outcome.ErrorCode, outcome.GenerationId, outcome.ProtocolType, outcome.ProtocolName,
            outcome.LeaderId, outcome.SkipAssignment, outcome.MemberId,
            outcome.Members.Select(m => new JoinGroupResponseMember(m.MemberId, m.GroupInstanceId, m.Metadata)).ToList());
    }
}
