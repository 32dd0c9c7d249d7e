using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>SyncGroup v0–5 (throttle from v1, group instance id from v3, flexible from v4, protocol type and name from v5).</summary>
public sealed record SyncGroupRequest(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyList<SyncGroupRequestAssignment> Assignments) : IKafkaMessage<SyncGroupRequest>
{
    public static SyncGroupRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var generation = reader.Int32();
        var memberId = reader.String();
        var instanceId = version >= 3 ? reader.NullableString() : null;
        var protocolType = version >= 5 ? reader.NullableString() : null;
        var protocolName = version >= 5 ? reader.NullableString() : null;
        var assignments = reader.Array(r =>
        {
            var assignment = new SyncGroupRequestAssignment(r.String(), r.Bytes());
            r.TaggedFields();
            return assignment;
        });
        reader.TaggedFields();
        return new SyncGroupRequest(groupId, generation, memberId, instanceId, protocolType, protocolName, assignments);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        writer.Int32(GenerationId);
        writer.String(MemberId);
        if (version >= 3)
        {
            writer.NullableString(GroupInstanceId);
        }
        if (version >= 5)
        {
            writer.NullableString(ProtocolType);
            writer.NullableString(ProtocolName);
        }
        writer.Array(Assignments.ToList(), (w, a) =>
        {
            w.String(a.MemberId);
            w.Bytes(a.Assignment);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record SyncGroupRequestAssignment(string MemberId, byte[] Assignment);

public sealed record SyncGroupResponse(int ThrottleTimeMs, ErrorCode ErrorCode, string? ProtocolType, string? ProtocolName, byte[] Assignment)
    : IKafkaMessage<SyncGroupResponse>
{
    public static SyncGroupResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var error = (ErrorCode)reader.Int16();
        var protocolType = version >= 5 ? reader.NullableString() : null;
        var protocolName = version >= 5 ? reader.NullableString() : null;
        var assignment = reader.Bytes();
        reader.TaggedFields();
        return new SyncGroupResponse(throttle, error, protocolType, protocolName, assignment);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Int16((short)ErrorCode);
        if (version >= 5)
        {
            writer.NullableString(ProtocolType);
            writer.NullableString(ProtocolName);
        }
        writer.Bytes(Assignment);
        writer.TaggedFields();
    }
}

/// <summary>The leader's SyncGroup carries everyone's assignment; followers' SyncGroups wait for it.</summary>
public sealed class SyncGroupHandler : ApiHandler<SyncGroupRequest, SyncGroupResponse>
{
    public override ApiKey Key => ApiKey.SyncGroup;
    public override short MinVersion => 0;
    public override short MaxVersion => 5;
    public override short FirstFlexibleVersion => 4;

    protected override async ValueTask<SyncGroupResponse?> HandleAsync(RequestContext context, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        SyncGroupOutcome outcome;
        if (!coordinator.IsCoordinator(context.Broker, request.GroupId))
        {
            outcome = SyncGroupOutcome.Failed(ErrorCode.NotCoordinator);
        }
        else
        {
            var call = new SyncGroupCall(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId,
                request.ProtocolType, request.ProtocolName,
                request.Assignments.Select(a => KeyValuePair.Create(a.MemberId, a.Assignment)).ToList());
            outcome = await coordinator.SyncAsync(call).WaitAsync(cancellationToken);
        }
        return new SyncGroupResponse(0, outcome.ErrorCode, outcome.ProtocolType, outcome.ProtocolName, outcome.Assignment);
    }
}
