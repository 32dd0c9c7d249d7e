using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DescribeShareGroupOffsets v0 (flexible). A null topic list asks for every initialized share-partition.</summary>
public sealed record DescribeShareGroupOffsetsRequest(IReadOnlyList<DescribeShareGroupOffsetsRequestGroup> Groups) : IKafkaMessage<DescribeShareGroupOffsetsRequest>
{
    public static DescribeShareGroupOffsetsRequest Read(KafkaReader reader, short version)
    {
        var groups = reader.Array(r =>
        {
            var groupId = r.String();
            var topics = r.NullableArray(t =>
            {
                var topic = new DescribeShareGroupOffsetsRequestTopic(t.String(), t.Array(x => x.Int32()));
                t.TaggedFields();
                return topic;
            });
            r.TaggedFields();
            return new DescribeShareGroupOffsetsRequestGroup(groupId, topics);
        });
        reader.TaggedFields();
        return new DescribeShareGroupOffsetsRequest(groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Groups.ToList(), (w, g) =>
        {
            w.String(g.GroupId);
            w.NullableArray(g.Topics?.ToList(), (tw, t) =>
            {
                tw.String(t.TopicName);
                tw.Array(t.Partitions.ToList(), (x, p) => x.Int32(p));
                tw.TaggedFields();
            });
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record DescribeShareGroupOffsetsRequestGroup(string GroupId, IReadOnlyList<DescribeShareGroupOffsetsRequestTopic>? Topics);

public sealed record DescribeShareGroupOffsetsRequestTopic(string TopicName, IReadOnlyList<int> Partitions);

public sealed record DescribeShareGroupOffsetsPartition(int PartitionIndex, long StartOffset, int LeaderEpoch, long Lag, ErrorCode ErrorCode, string? ErrorMessage);

public sealed record DescribeShareGroupOffsetsTopic(string TopicName, Guid TopicId, IReadOnlyList<DescribeShareGroupOffsetsPartition> Partitions);

public sealed record DescribeShareGroupOffsetsGroup(string GroupId, IReadOnlyList<DescribeShareGroupOffsetsTopic> Topics, ErrorCode ErrorCode, string? ErrorMessage);

/// <summary>The response; v1 (Kafka 4.2) adds each partition's lag, which the sandbox can already write.</summary>
public sealed record DescribeShareGroupOffsetsResponse(int ThrottleTimeMs, IReadOnlyList<DescribeShareGroupOffsetsGroup> Groups) : IKafkaMessage<DescribeShareGroupOffsetsResponse>
{
    public static DescribeShareGroupOffsetsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var groups = reader.Array(r =>
        {
            var groupId = r.String();
            var topics = r.Array(t =>
            {
                var name = t.String();
                var id = t.Uuid();
                var partitions = t.Array(p =>
                {
                    var partition = new DescribeShareGroupOffsetsPartition(p.Int32(), p.Int64(), p.Int32(), version >= 1 ? p.Int64() : -1,
                        (ErrorCode)p.Int16(), p.NullableString());
                    p.TaggedFields();
                    return partition;
                });
                t.TaggedFields();
                return new DescribeShareGroupOffsetsTopic(name, id, partitions);
            });
            var group = new DescribeShareGroupOffsetsGroup(groupId, topics, (ErrorCode)r.Int16(), r.NullableString());
            r.TaggedFields();
            return group;
        });
        reader.TaggedFields();
        return new DescribeShareGroupOffsetsResponse(throttle, groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Groups.ToList(), (w, g) =>
        {
            w.String(g.GroupId);
            w.Array(g.Topics.ToList(), (tw, t) =>
            {
                tw.String(t.TopicName);
                tw.Uuid(t.TopicId);
                tw.Array(t.Partitions.ToList(), (pw, p) =>
                {
                    pw.Int32(p.PartitionIndex);
                    pw.Int64(p.StartOffset);
                    pw.Int32(p.LeaderEpoch);
                    if (version >= 1)
                    {
                        pw.Int64(p.Lag);
                    }
                    pw.Int16((short)p.ErrorCode);
                    pw.NullableString(p.ErrorMessage);
                    pw.TaggedFields();
                });
                tw.TaggedFields();
            });
            w.Int16((short)g.ErrorCode);
            w.NullableString(g.ErrorMessage);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Reads share groups' start offsets, as Kafka's GroupCoordinatorService does: named partitions without a start
/// offset (an unknown group or topic included) read as start offset -1, leader epoch 0, no error; a null topic
/// list returns the initialized partitions only (none for an unknown group). No group-type check: Kafka asks the
/// share-state persister directly.
/// </summary>
public sealed class DescribeShareGroupOffsetsHandler : ApiHandler<DescribeShareGroupOffsetsRequest, DescribeShareGroupOffsetsResponse>
{
    public override ApiKey Key => ApiKey.DescribeShareGroupOffsets;
    public override short MinVersion => 0;
    public override short MaxVersion => 0;
    public override short FirstFlexibleVersion => 0;

    protected override ValueTask<DescribeShareGroupOffsetsResponse?> HandleAsync(RequestContext context, DescribeShareGroupOffsetsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var groups = new List<DescribeShareGroupOffsetsGroup>(request.Groups.Count);
        lock (cluster.Sync)
        {
            foreach (var requested in request.Groups)
            {
                if (!cluster.Groups.IsCoordinator(context.Broker, requested.GroupId))
                {
                    groups.Add(new DescribeShareGroupOffsetsGroup(requested.GroupId, [], ErrorCode.NotCoordinator, null));
                    continue;
                }
                var starts = cluster.Groups.Find(requested.GroupId)?.Modern is { Type: GroupType.Share } share
                    ? share.ShareStartOffsets
                    : new Dictionary<GroupTopicPartition, long>();
                var wanted = requested.Topics?.Select(t => (t.TopicName, t.Partitions)).ToList()
                    ?? starts.Keys.GroupBy(k => k.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                        .Select(g => (g.Key, (IReadOnlyList<int>)g.Select(k => k.Partition).Order().ToList())).ToList();
                var topics = new List<DescribeShareGroupOffsetsTopic>(wanted.Count);
                foreach (var (name, partitions) in wanted)
                {
                    var topic = cluster.Topics.GetValueOrDefault(name);
                    topics.Add(new DescribeShareGroupOffsetsTopic(name, topic?.TopicId ?? Guid.Empty, partitions.Select(p =>
                    {
                        if (topic is null || !starts.TryGetValue(new GroupTopicPartition(name, p), out var start))
                        {
                            return new DescribeShareGroupOffsetsPartition(p, -1, 0, -1, ErrorCode.None, null);
                        }
                        var end = p < topic.Partitions.Count ? topic.Partitions[p].HighWatermark : start;
                        return new DescribeShareGroupOffsetsPartition(p, start, 0, Math.Max(0, end - start), ErrorCode.None, null);
                    }).ToList()));
                }
                groups.Add(new DescribeShareGroupOffsetsGroup(requested.GroupId, topics, ErrorCode.None, null));
            }
        }
        return ValueTask.FromResult<DescribeShareGroupOffsetsResponse?>(new DescribeShareGroupOffsetsResponse(0, groups));
    }
}
