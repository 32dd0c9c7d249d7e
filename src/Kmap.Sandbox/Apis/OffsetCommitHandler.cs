using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// OffsetCommit v0–9 (generation and member from v1, commit timestamp only in v1, retention time v2–4,
/// leader epoch from v6, group instance id from v7, flexible from v8).
/// </summary>
public sealed record OffsetCommitRequest(
    string GroupId,
    int GenerationIdOrMemberEpoch,
    string MemberId,
    string? GroupInstanceId,
    long RetentionTimeMs,
    IReadOnlyList<OffsetCommitRequestTopic> Topics) : IKafkaMessage<OffsetCommitRequest>
{
    public static OffsetCommitRequest Read(KafkaReader reader, short version)
    {
        var groupId = reader.String();
        var generation = version >= 1 ? reader.Int32() : -1;
        var memberId = version >= 1 ? reader.String() : "";
        var instanceId = version >= 7 ? reader.NullableString() : null;
        var retention = version is >= 2 and <= 4 ? reader.Int64() : -1;
        var topics = reader.Array(r =>
        {
            var name = r.String();
            var partitions = r.Array(p =>
            {
                var index = p.Int32();
                var offset = p.Int64();
                var epoch = version >= 6 ? p.Int32() : -1;
                var timestamp = version == 1 ? p.Int64() : -1;
                var metadata = p.NullableString();
                p.TaggedFields();
                return new OffsetCommitRequestPartition(index, offset, epoch, timestamp, metadata);
            });
            r.TaggedFields();
            return new OffsetCommitRequestTopic(name, partitions);
        });
        reader.TaggedFields();
        return new OffsetCommitRequest(groupId, generation, memberId, instanceId, retention, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.String(GroupId);
        if (version >= 1)
        {
            writer.Int32(GenerationIdOrMemberEpoch);
            writer.String(MemberId);
        }
        if (version >= 7)
        {
            writer.NullableString(GroupInstanceId);
        }
        if (version is >= 2 and <= 4)
        {
            writer.Int64(RetentionTimeMs);
        }
        writer.Array(Topics.ToList(), (w, t) =>
        {
            w.String(t.Name);
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int32(p.PartitionIndex);
                pw.Int64(p.CommittedOffset);
                if (version >= 6)
                {
                    pw.Int32(p.CommittedLeaderEpoch);
                }
                if (version == 1)
                {
                    pw.Int64(p.CommitTimestamp);
                }
                pw.NullableString(p.CommittedMetadata);
                pw.TaggedFields();
            });
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record OffsetCommitRequestTopic(string Name, IReadOnlyList<OffsetCommitRequestPartition> Partitions);

public sealed record OffsetCommitRequestPartition(int PartitionIndex, long CommittedOffset, int CommittedLeaderEpoch, long CommitTimestamp, string? CommittedMetadata);

public sealed record OffsetCommitResponse(int ThrottleTimeMs, IReadOnlyList<OffsetCommitResponseTopic> Topics) : IKafkaMessage<OffsetCommitResponse>
{
    public static OffsetCommitResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 3 ? reader.Int32() : 0;
        var topics = reader.Array(r =>
        {
            var name = r.String();
            var partitions = r.Array(p =>
            {
                var partition = new OffsetCommitResponsePartition(p.Int32(), (ErrorCode)p.Int16());
                p.TaggedFields();
                return partition;
            });
            r.TaggedFields();
            return new OffsetCommitResponseTopic(name, partitions);
        });
        reader.TaggedFields();
        return new OffsetCommitResponse(throttle, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 3)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Array(Topics.ToList(), (w, t) =>
        {
            w.String(t.Name);
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int32(p.PartitionIndex);
                pw.Int16((short)p.ErrorCode);
                pw.TaggedFields();
            });
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record OffsetCommitResponseTopic(string Name, IReadOnlyList<OffsetCommitResponsePartition> Partitions);

public sealed record OffsetCommitResponsePartition(int PartitionIndex, ErrorCode ErrorCode);

/// <summary>Stores offsets through the group coordinator; any offset is accepted, there is no range check (as in Kafka).</summary>
public sealed class OffsetCommitHandler : ApiHandler<OffsetCommitRequest, OffsetCommitResponse>
{
    public override ApiKey Key => ApiKey.OffsetCommit;
    public override short MinVersion => 0;
    public override short MaxVersion => 9;
    public override short FirstFlexibleVersion => 8;

    protected override ValueTask<OffsetCommitResponse?> HandleAsync(RequestContext context, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        var flat = request.Topics
            .SelectMany(t => t.Partitions.Select(p => new PartitionCommit(t.Name, p.PartitionIndex, p.CommittedOffset,
                p.CommittedLeaderEpoch, p.CommittedMetadata, p.CommitTimestamp)))
            .ToList();
        ErrorCode[] errors;
        if (!context.Cluster.Groups.IsCoordinator(context.Broker, request.GroupId))
        {
            errors = new ErrorCode[flat.Count];
            Array.Fill(errors, ErrorCode.NotCoordinator);
        }
        else
        {
            errors = context.Cluster.Groups.CommitOffsets(request.GroupId, request.GenerationIdOrMemberEpoch, request.MemberId,
                request.GroupInstanceId, context.Version, flat);
        }
        var index = 0;
        var topics = request.Topics
            .Select(t => new OffsetCommitResponseTopic(t.Name,
                t.Partitions.Select(p => new OffsetCommitResponsePartition(p.PartitionIndex, errors[index++])).ToList()))
            .ToList();
        return ValueTask.FromResult<OffsetCommitResponse?>(new OffsetCommitResponse(0, topics));
    }
}
