using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>LeaveGroup v0–5 (throttle from v1, batched members from v3, flexible from v4, reason from v5).</summary>
public sealed record LeaveGroupRequest(string GroupId, string MemberId, IReadOnlyList<LeaveGroupRequestMember> Members) : IKafkaMessage<LeaveGroupRequest>
{
    public static LeaveGroupRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var memberId = version <= 2 ? reader.String() : "";
        var members = version >= 3
            ? reader.Array(r =>
            {
                var member = new LeaveGroupRequestMember(r.String(), r.NullableString(), version >= 5 ? r.NullableString() : null);
                r.TaggedFields();
                return member;
            })
            : [];
        reader.TaggedFields();
        return new LeaveGroupRequest(groupId, memberId, members);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        if (version <= 2)
        {
            writer.String(MemberId);
        }
        else
        {
            writer.Array(Members.ToList(), (w, m) =>
            {
                w.String(m.MemberId);
                w.NullableString(m.GroupInstanceId);
                if (version >= 5)
                {
                    w.NullableString(m.Reason);
                }
                w.TaggedFields();
            });
        }
        writer.TaggedFields();
    }
}

public sealed record LeaveGroupRequestMember(string MemberId, string? GroupInstanceId, string? Reason);

public sealed record LeaveGroupResponseMember(string MemberId, string? GroupInstanceId, ErrorCode ErrorCode);

public sealed record LeaveGroupResponse(int ThrottleTimeMs, ErrorCode ErrorCode, IReadOnlyList<LeaveGroupResponseMember> Members) : IKafkaMessage<LeaveGroupResponse>
{
    public static LeaveGroupResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var error = (ErrorCode)reader.Int16();
        var members = version >= 3
            ? reader.Array(r =>
            {
                var member = new LeaveGroupResponseMember(r.String(), r.NullableString(), (ErrorCode)r.Int16());
                r.TaggedFields();
                return member;
            })
            : [];
        reader.TaggedFields();
        return new LeaveGroupResponse(throttle, error, members);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Int16((short)ErrorCode);
        if (version >= 3)
        {
            writer.Array(Members.ToList(), (w, m) =>
            {
                w.String(m.MemberId);
                w.NullableString(m.GroupInstanceId);
                w.Int16((short)m.ErrorCode);
                w.TaggedFields();
            });
        }
        writer.TaggedFields();
    }
}

/// <summary>
/// Removes members and rebalances the rest. Before v3 there is one member and no per-member errors, so (as Kafka
/// does) the member's error becomes the top-level error.
/// </summary>
public sealed class LeaveGroupHandler : ApiHandler<LeaveGroupRequest, LeaveGroupResponse>
{
    public override ApiKey Key => ApiKey.LeaveGroup;
    public override short MinVersion => 0;
    public override short MaxVersion => 5;
    public override short FirstFlexibleVersion => 4;

    protected override ValueTask<LeaveGroupResponse?> HandleAsync(RequestContext context, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        var leaving = context.Version <= 2
            ? [new LeavingMember(request.MemberId, null)]
            : request.Members.Select(m => new LeavingMember(m.MemberId, m.GroupInstanceId)).ToList();
        var (error, results) = coordinator.IsCoordinator(context.Broker, request.GroupId)
            ? coordinator.Leave(request.GroupId, leaving)
            : (ErrorCode.NotCoordinator, []);
        if (context.Version <= 2 && error == ErrorCode.None)
        {
            error = results.Select(r => r.ErrorCode).FirstOrDefault(e => e != ErrorCode.None);
        }
        var members = context.Version >= 3 && error == ErrorCode.None
            ? results.Select(r => new LeaveGroupResponseMember(r.MemberId, r.GroupInstanceId, r.ErrorCode)).ToList()
            : [];
        return ValueTask.FromResult<LeaveGroupResponse?>(new LeaveGroupResponse(0, error, members));
    }
}
