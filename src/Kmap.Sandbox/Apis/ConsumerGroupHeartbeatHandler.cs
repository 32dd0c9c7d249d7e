using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>ConsumerGroupHeartbeat v0–1 (KIP-848; flexible from v0; v1 adds the subscribed topic regex and has the client choose its member id).</summary>
public sealed record ConsumerGroupHeartbeatRequest(
    string GroupId,
    string MemberId,
    int MemberEpoch,
    string? InstanceId,
    string? RackId,
    int RebalanceTimeoutMs,
    IReadOnlyList<string>? SubscribedTopicNames,
    string? SubscribedTopicRegex,
    string? ServerAssignor,
    IReadOnlyList<HeartbeatTopicPartitions>? TopicPartitions) : IKafkaMessage<ConsumerGroupHeartbeatRequest>
{
    public static ConsumerGroupHeartbeatRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var memberId = reader.String();
        var epoch = reader.Int32();
        var instanceId = reader.NullableString();
        var rackId = reader.NullableString();
        var rebalanceTimeout = reader.Int32();
        var topics = reader.NullableArray(r => r.String());
        var regex = version >= 1 ? reader.NullableString() : null;
        var assignor = reader.NullableString();
        var owned = reader.NullableArray(HeartbeatTopicPartitions.Read);
        reader.TaggedFields();
        return new ConsumerGroupHeartbeatRequest(groupId, memberId, epoch, instanceId, rackId, rebalanceTimeout, topics, regex, assignor, owned);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        writer.String(MemberId);
        writer.Int32(MemberEpoch);
        writer.NullableString(InstanceId);
        writer.NullableString(RackId);
        writer.Int32(RebalanceTimeoutMs);
        writer.NullableArray(SubscribedTopicNames?.ToList(), (w, t) => w.String(t));
        if (version >= 1)
        {
            writer.NullableString(SubscribedTopicRegex);
        }
        writer.NullableString(ServerAssignor);
        writer.NullableArray(TopicPartitions?.ToList(), (w, t) => t.Write(w));
        writer.TaggedFields();
    }
}

/// <summary>A topic (by id) and some of its partitions, as the heartbeat APIs carry them.</summary>
public sealed record HeartbeatTopicPartitions(Guid TopicId, IReadOnlyList<int> Partitions)
{
    public static HeartbeatTopicPartitions Read(KafkaReader r)
    {
        var topic = new HeartbeatTopicPartitions(r.Uuid(), r.Array(x => x.Int32()));
        r.TaggedFields();
        return topic;
    }

    public void Write(KafkaWriter w)
    {
        w.Uuid(TopicId);
        w.Array(Partitions.ToList(), (x, p) => x.Int32(p));
        w.TaggedFields();
    }
}

public sealed record ConsumerGroupHeartbeatResponse(
    int ThrottleTimeMs,
    ErrorCode ErrorCode,
    string? ErrorMessage,
    string? MemberId,
    int MemberEpoch,
    int HeartbeatIntervalMs,
    IReadOnlyList<HeartbeatTopicPartitions>? Assignment) : IKafkaMessage<ConsumerGroupHeartbeatResponse>
{
    public static ConsumerGroupHeartbeatResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var error = (ErrorCode)reader.Int16();
        var message = reader.NullableString();
        var memberId = reader.NullableString();
        var epoch = reader.Int32();
        var interval = reader.Int32();
        // A nullable struct: a signed byte, -1 for null.
        List<HeartbeatTopicPartitions>? assignment = null;
        if (reader.Int8() >= 0)
        {
            assignment = reader.Array(HeartbeatTopicPartitions.Read);
            reader.TaggedFields();
        }
        reader.TaggedFields();
        return new ConsumerGroupHeartbeatResponse(throttle, error, message, memberId, epoch, interval, assignment);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Int16((short)ErrorCode);
        writer.NullableString(ErrorMessage);
        writer.NullableString(MemberId);
        writer.Int32(MemberEpoch);
        writer.Int32(HeartbeatIntervalMs);
        if (Assignment is null)
        {
            writer.Int8(-1);
        }
        else
        {
            writer.Int8(1);
            writer.Array(Assignment.ToList(), (w, t) => t.Write(w));
            writer.TaggedFields();
        }
        writer.TaggedFields();
    }
}

/// <summary>Runs the consumer group protocol in <see cref="GroupCoordinator.ConsumerGroupHeartbeat"/>.</summary>
public sealed class ConsumerGroupHeartbeatHandler : ApiHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse>
{
    public override ApiKey Key => ApiKey.ConsumerGroupHeartbeat;
    public override short MinVersion => 0;
    public override short MaxVersion => 1;
    public override short FirstFlexibleVersion => 0;

    protected override ValueTask<ConsumerGroupHeartbeatResponse?> HandleAsync(RequestContext context, ConsumerGroupHeartbeatRequest request, CancellationToken cancellationToken)
    {
        if (!context.Cluster.Groups.IsCoordinator(context.Broker, request.GroupId))
        {
            return ValueTask.FromResult<ConsumerGroupHeartbeatResponse?>(new ConsumerGroupHeartbeatResponse(0, ErrorCode.NotCoordinator, null, null, 0, 0, null));
        }
        var outcome = context.Cluster.Groups.ConsumerGroupHeartbeat(new ConsumerGroupHeartbeatCall(
            request.GroupId, request.MemberId, request.MemberEpoch, request.InstanceId, request.RackId, request.RebalanceTimeoutMs,
            request.SubscribedTopicNames, request.SubscribedTopicRegex, request.ServerAssignor,
            request.TopicPartitions?.Select(t => (t.TopicId, t.Partitions)).ToList(),
            context.ClientId, context.ClientHost, context.Version));
        return ValueTask.FromResult<ConsumerGroupHeartbeatResponse?>(new ConsumerGroupHeartbeatResponse(0, outcome.Error.Code, outcome.Error.Message,
            outcome.MemberId, outcome.MemberEpoch, outcome.HeartbeatIntervalMs,
            outcome.Assignment?.Select(a => new HeartbeatTopicPartitions(a.TopicId, a.Partitions)).ToList()));
    }
}
