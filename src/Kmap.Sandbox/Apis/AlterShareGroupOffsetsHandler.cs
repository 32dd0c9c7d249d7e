using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>AlterShareGroupOffsets v0 (flexible): set the start offset of some share-partitions.</summary>
public sealed record AlterShareGroupOffsetsRequest(string GroupId, IReadOnlyList<AlterShareGroupOffsetsRequestTopic> Topics) : IKafkaMessage<AlterShareGroupOffsetsRequest>
{
    public static AlterShareGroupOffsetsRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var partitions = t.Array(p =>
            {
                var partition = new AlterShareGroupOffsetsRequestPartition(p.Int32(), p.Int64());
                p.TaggedFields();
                return partition;
            });
            t.TaggedFields();
            return new AlterShareGroupOffsetsRequestTopic(name, partitions);
        });
        reader.TaggedFields();
        return new AlterShareGroupOffsetsRequest(groupId, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        writer.Array(Topics.ToList(), (w, t) =>
        {
            w.String(t.TopicName);
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int32(p.PartitionIndex);
                pw.Int64(p.StartOffset);
                pw.TaggedFields();
            });
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record AlterShareGroupOffsetsRequestTopic(string TopicName, IReadOnlyList<AlterShareGroupOffsetsRequestPartition> Partitions);

public sealed record AlterShareGroupOffsetsRequestPartition(int PartitionIndex, long StartOffset);

public sealed record AlterShareGroupOffsetsResponsePartition(int PartitionIndex, ErrorCode ErrorCode, string? ErrorMessage);

public sealed record AlterShareGroupOffsetsResponseTopic(string TopicName, Guid TopicId, IReadOnlyList<AlterShareGroupOffsetsResponsePartition> Partitions);

public sealed record AlterShareGroupOffsetsResponse(int ThrottleTimeMs, ErrorCode ErrorCode, string? ErrorMessage, IReadOnlyList<AlterShareGroupOffsetsResponseTopic> Responses)
    : IKafkaMessage<AlterShareGroupOffsetsResponse>
{
    public static AlterShareGroupOffsetsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var error = (ErrorCode)reader.Int16();
        var message = reader.NullableString();
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var id = t.Uuid();
            var partitions = t.Array(p =>
            {
                var partition = new AlterShareGroupOffsetsResponsePartition(p.Int32(), (ErrorCode)p.Int16(), p.NullableString());
                p.TaggedFields();
                return partition;
            });
            t.TaggedFields();
            return new AlterShareGroupOffsetsResponseTopic(name, id, partitions);
        });
        reader.TaggedFields();
        return new AlterShareGroupOffsetsResponse(throttle, error, message, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Int16((short)ErrorCode);
        writer.NullableString(ErrorMessage);
        writer.Array(Responses.ToList(), (w, t) =>
        {
            w.String(t.TopicName);
            w.Uuid(t.TopicId);
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int32(p.PartitionIndex);
                pw.Int16((short)p.ErrorCode);
                pw.NullableString(p.ErrorMessage);
                pw.TaggedFields();
            });
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Sets share-partition start offsets as Kafka's GroupCoordinatorShard.alterShareGroupOffsets does: the group
/// must exist and be a share group (else GROUP_ID_NOT_FOUND; Kafka does not create it) and be empty (else
/// NON_EMPTY_GROUP); an unknown topic or partition fails only that partition (UNKNOWN_TOPIC_OR_PARTITION).
/// </summary>
public sealed class AlterShareGroupOffsetsHandler : ApiHandler<AlterShareGroupOffsetsRequest, AlterShareGroupOffsetsResponse>
{
    public override ApiKey Key => ApiKey.AlterShareGroupOffsets;
    public override short MinVersion => 0;
    public override short MaxVersion => 0;
    public override short FirstFlexibleVersion => 0;

    private const string UnknownTopicMessage = "This server does not host this topic-partition.";

    protected override ValueTask<AlterShareGroupOffsetsResponse?> HandleAsync(RequestContext context, AlterShareGroupOffsetsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        AlterShareGroupOffsetsResponse Failed(ErrorCode code, string? message) => new(0, code, message, []);
        if (request.GroupId.Length == 0)
        {
            return ValueTask.FromResult<AlterShareGroupOffsetsResponse?>(Failed(ErrorCode.InvalidGroupId, null));
        }
        if (!cluster.Groups.IsCoordinator(context.Broker, request.GroupId))
        {
            return ValueTask.FromResult<AlterShareGroupOffsetsResponse?>(Failed(ErrorCode.NotCoordinator, null));
        }
        lock (cluster.Sync)
        {
            var group = cluster.Groups.Find(request.GroupId);
            if (group is null)
            {
                var notFound = ErrorCodeAndMessage.NotFound(request.GroupId);
                return ValueTask.FromResult<AlterShareGroupOffsetsResponse?>(Failed(notFound.Code, notFound.Message));
            }
            if (group.Modern is not { Type: GroupType.Share } share)
            {
                var wrongType = ErrorCodeAndMessage.WrongType(request.GroupId, GroupType.Share);
                return ValueTask.FromResult<AlterShareGroupOffsetsResponse?>(Failed(wrongType.Code, wrongType.Message));
            }
            if (share.Members.Count > 0)
            {
                return ValueTask.FromResult<AlterShareGroupOffsetsResponse?>(Failed(ErrorCode.NonEmptyGroup, "The group is not empty"));
            }
            var responses = new List<AlterShareGroupOffsetsResponseTopic>(request.Topics.Count);
            foreach (var topic in request.Topics)
            {
                var known = cluster.Topics.GetValueOrDefault(topic.TopicName);
                var partitions = new List<AlterShareGroupOffsetsResponsePartition>(topic.Partitions.Count);
                foreach (var partition in topic.Partitions)
                {
                    if (known is null || partition.PartitionIndex < 0 || partition.PartitionIndex >= known.Partitions.Count)
                    {
                        partitions.Add(new AlterShareGroupOffsetsResponsePartition(partition.PartitionIndex, ErrorCode.UnknownTopicOrPartition, UnknownTopicMessage));
                        continue;
                    }
                    share.ShareStartOffsets[new GroupTopicPartition(topic.TopicName, partition.PartitionIndex)] = partition.StartOffset;
                    partitions.Add(new AlterShareGroupOffsetsResponsePartition(partition.PartitionIndex, ErrorCode.None, null));
                }
                responses.Add(new AlterShareGroupOffsetsResponseTopic(topic.TopicName, known?.TopicId ?? Guid.Empty, partitions));
            }
            return ValueTask.FromResult<AlterShareGroupOffsetsResponse?>(new AlterShareGroupOffsetsResponse(0, ErrorCode.None, null, responses));
        }
    }
}
