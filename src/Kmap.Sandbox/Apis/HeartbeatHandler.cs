using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>Heartbeat v0–4 (throttle from v1, group instance id from v3, flexible from v4).</summary>
public sealed record HeartbeatRequest(string GroupId, int GenerationId, string MemberId, string? GroupInstanceId) : IKafkaMessage<HeartbeatRequest>
{
    public static HeartbeatRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var generation = reader.Int32();
        var memberId = reader.String();
        var instanceId = version >= 3 ? reader.NullableString() : null;
        reader.TaggedFields();
        return new HeartbeatRequest(groupId, generation, memberId, instanceId);
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
        writer.TaggedFields();
    }
}

public sealed record HeartbeatResponse(int ThrottleTimeMs, ErrorCode ErrorCode) : IKafkaMessage<HeartbeatResponse>
{
    public static HeartbeatResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var error = (ErrorCode)reader.Int16();
        reader.TaggedFields();
        return new HeartbeatResponse(throttle, error);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Int16((short)ErrorCode);
        writer.TaggedFields();
    }
}

/// <summary>Keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.</summary>
public sealed class HeartbeatHandler : ApiHandler<HeartbeatRequest, HeartbeatResponse>
{
    public override ApiKey Key => ApiKey.Heartbeat;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;
    public override short FirstFlexibleVersion => 4;

    protected override ValueTask<HeartbeatResponse?> HandleAsync(RequestContext context, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        var error = coordinator.IsCoordinator(context.Broker, request.GroupId)
            ? coordinator.Heartbeat(request.GroupId, request.GenerationId, request.MemberId, request.GroupInstanceId)
            : ErrorCode.NotCoordinator;
        return ValueTask.FromResult<HeartbeatResponse?>(new HeartbeatResponse(0, error));
    }
}
