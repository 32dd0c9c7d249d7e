using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>OffsetDelete v0 (not flexible).</summary>
public sealed record OffsetDeleteRequest(string GroupId, IReadOnlyList<OffsetDeleteRequestTopic> Topics) : IKafkaMessage<OffsetDeleteRequest>
{
    public static OffsetDeleteRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var topics = reader.Array(r => new OffsetDeleteRequestTopic(r.String(), r.Array(p => p.Int32())));
        return new OffsetDeleteRequest(groupId, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        writer.Array(Topics.ToList(), (w, t) =>
        {
            w.String(t.Name);
            w.Array(t.Partitions.ToList(), (pw, p) => pw.Int32(p));
        });
    }
}

public sealed record OffsetDeleteRequestTopic(string Name, IReadOnlyList<int> Partitions);

public sealed record OffsetDeleteResponsePartition(int PartitionIndex, ErrorCode ErrorCode);

public sealed record OffsetDeleteResponseTopic(string Name, IReadOnlyList<OffsetDeleteResponsePartition> Partitions);

public sealed record OffsetDeleteResponse(ErrorCode ErrorCode, int ThrottleTimeMs, IReadOnlyList<OffsetDeleteResponseTopic> Topics) : IKafkaMessage<OffsetDeleteResponse>
{
    public static OffsetDeleteResponse Read(KafkaReader reader, short version)
    {
        var error = (ErrorCode)reader.Int16();
        var throttle = reader.Int32();
        var topics = reader.Array(r => new OffsetDeleteResponseTopic(r.String(),
            r.Array(p => new OffsetDeleteResponsePartition(p.Int32(), (ErrorCode)p.Int16()))));
        return new OffsetDeleteResponse(error, throttle, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int16((short)ErrorCode);
        writer.Int32(ThrottleTimeMs);
        writer.Array(Topics.ToList(), (w, t) =>
        {
            w.String(t.Name);
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int32(p.PartitionIndex);
                pw.Int16((short)p.ErrorCode);
            });
        });
    }
}

/// <summary>
/// Deletes committed offsets of a group. A group with members keeps the offsets of topics its members subscribe
/// to (GROUP_SUBSCRIBED_TO_TOPIC); a non-consumer group with members refuses outright (NON_EMPTY_GROUP).
/// </summary>
public sealed class OffsetDeleteHandler : ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse>
{
    public override ApiKey Key => ApiKey.OffsetDelete;
    public override short MinVersion => 0;
    public override short MaxVersion => 0;

    protected override ValueTask<OffsetDeleteResponse?> HandleAsync(RequestContext context, OffsetDeleteRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        if (!coordinator.IsCoordinator(context.Broker, request.GroupId))
        {
            return ValueTask.FromResult<OffsetDeleteResponse?>(new OffsetDeleteResponse(ErrorCode.NotCoordinator, 0, []));
        }
        var flat = request.Topics.SelectMany(t => t.Partitions.Select(p => (t.Name, p))).ToList();
        var (error, errors) = coordinator.DeleteOffsets(request.GroupId, flat);
        if (error != ErrorCode.None)
        {
            return ValueTask.FromResult<OffsetDeleteResponse?>(new OffsetDeleteResponse(error, 0, []));
        }
        var index = 0;
        var topics = request.Topics
            .Select(t => new OffsetDeleteResponseTopic(t.Name, t.Partitions.Select(p => new OffsetDeleteResponsePartition(p, errors[index++])).ToList()))
            .ToList();
        return ValueTask.FromResult<OffsetDeleteResponse?>(new OffsetDeleteResponse(ErrorCode.None, 0, topics));
    }
}
