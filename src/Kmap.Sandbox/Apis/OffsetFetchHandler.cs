using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// OffsetFetch v0–9: one group up to v7 (a null topic list, from v2, means every committed partition), many
/// groups from v8; top-level error from v2, leader epoch from v5, flexible from v6, require_stable from v7,
/// member id and epoch (KIP-848: checked for consumer and streams groups, unused by classic groups) from v9.
/// </summary>
public sealed record OffsetFetchRequest(
    string GroupId,
    IReadOnlyList<OffsetFetchRequestTopic>? Topics,
    IReadOnlyList<OffsetFetchRequestGroup> Groups,
    bool RequireStable) : IKafkaMessage<OffsetFetchRequest>
{
    public static OffsetFetchRequest Read(KafkaReader reader, short version)
    {
        var groupId = "";
        List<OffsetFetchRequestTopic>? topics = null;
        List<OffsetFetchRequestGroup> groups = [];
        if (version <= 7)
        {
            groupId = reader.String();
            topics = reader.NullableArray(ReadTopic);
            if (version < 2)
            {
                topics ??= [];
            }
        }
        else
        {
            groups = reader.Array(r =>
            {
                var id = r.String();
                var memberId = version >= 9 ? r.NullableString() : null;
                var memberEpoch = version >= 9 ? r.Int32() : -1;
                var groupTopics = r.NullableArray(ReadTopic);
                r.TaggedFields();
                return new OffsetFetchRequestGroup(id, memberId, memberEpoch, groupTopics);
            });
        }
        var requireStable = version >= 7 && reader.Bool();
        reader.TaggedFields();
        return new OffsetFetchRequest(groupId, topics, groups, requireStable);
    }

    private static OffsetFetchRequestTopic ReadTopic(KafkaReader r)
    {
        var topic = new OffsetFetchRequestTopic(r.String(), r.Array(x => x.Int32()));
        r.TaggedFields();
        return topic;
    }

    private static void WriteTopics(KafkaWriter writer, IReadOnlyList<OffsetFetchRequestTopic>? topics) =>
        writer.NullableArray(topics?.ToList(), (w, t) =>
        {
            w.String(t.Name);
            w.Array(t.PartitionIndexes.ToList(), (x, p) => x.Int32(p));
            w.TaggedFields();
        });

    public void Write(KafkaWriter writer, short version)
    {
        if (version <= 7)
        {
            writer.String(GroupId);
            // Before v2 the topic list cannot be null.
            WriteTopics(writer, version < 2 ? Topics ?? [] : Topics);
        }
        else
        {
            writer.Array(Groups.ToList(), (w, g) =>
            {
                w.String(g.GroupId);
                if (version >= 9)
                {
                    w.NullableString(g.MemberId);
                    w.Int32(g.MemberEpoch);
                }
                WriteTopics(w, g.Topics);
                w.TaggedFields();
            });
        }
        if (version >= 7)
        {
            writer.Bool(RequireStable);
        }
        writer.TaggedFields();
    }
}

public sealed record OffsetFetchRequestTopic(string Name, IReadOnlyList<int> PartitionIndexes);

public sealed record OffsetFetchRequestGroup(string GroupId, string? MemberId, int MemberEpoch, IReadOnlyList<OffsetFetchRequestTopic>? Topics);

public sealed record OffsetFetchResponsePartition(int PartitionIndex, long CommittedOffset, int CommittedLeaderEpoch, string? Metadata, ErrorCode ErrorCode);

public sealed record OffsetFetchResponseTopic(string Name, IReadOnlyList<OffsetFetchResponsePartition> Partitions);

public sealed record OffsetFetchResponseGroup(string GroupId, IReadOnlyList<OffsetFetchResponseTopic> Topics, ErrorCode ErrorCode);

public sealed record OffsetFetchResponse(
    int ThrottleTimeMs,
    IReadOnlyList<OffsetFetchResponseTopic> Topics,
    ErrorCode ErrorCode,
    IReadOnlyList<OffsetFetchResponseGroup> Groups) : IKafkaMessage<OffsetFetchResponse>
{
    public static OffsetFetchResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 3 ? reader.Int32() : 0;
        List<OffsetFetchResponseTopic> topics = [];
        var error = ErrorCode.None;
        List<OffsetFetchResponseGroup> groups = [];
        if (version <= 7)
        {
            topics = reader.Array(r => ReadTopic(r, version));
            error = version >= 2 ? (ErrorCode)reader.Int16() : ErrorCode.None;
        }
        else
        {
            groups = reader.Array(r =>
            {
                var group = new OffsetFetchResponseGroup(r.String(), r.Array(x => ReadTopic(x, version)), (ErrorCode)r.Int16());
                r.TaggedFields();
                return group;
            });
        }
        reader.TaggedFields();
        return new OffsetFetchResponse(throttle, topics, error, groups);
    }

    private static OffsetFetchResponseTopic ReadTopic(KafkaReader r, short version)
    {
        var name = r.String();
        var partitions = r.Array(p =>
        {
            var index = p.Int32();
            var offset = p.Int64();
            var epoch = version >= 5 ? p.Int32() : -1;
            var metadata = p.NullableString();
            var error = (ErrorCode)p.Int16();
            p.TaggedFields();
            return new OffsetFetchResponsePartition(index, offset, epoch, metadata, error);
        });
        r.TaggedFields();
        return new OffsetFetchResponseTopic(name, partitions);
    }

    private static void WriteTopics(KafkaWriter writer, IReadOnlyList<OffsetFetchResponseTopic> topics, short version) =>
        writer.Array(topics.ToList(), (w, t) =>
        {
            w.String(t.Name);
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int32(p.PartitionIndex);
                pw.Int64(p.CommittedOffset);
                if (version >= 5)
                {
                    pw.Int32(p.CommittedLeaderEpoch);
                }
                pw.NullableString(p.Metadata);
                pw.Int16((short)p.ErrorCode);
                pw.TaggedFields();
            });
            w.TaggedFields();
        });

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 3)
        {
            writer.Int32(ThrottleTimeMs);
        }
        if (version <= 7)
        {
            WriteTopics(writer, Topics, version);
            if (version >= 2)
            {
                writer.Int16((short)ErrorCode);
            }
        }
        else
        {
            writer.Array(Groups.ToList(), (w, g) =>
            {
                w.String(g.GroupId);
                WriteTopics(w, g.Topics, version);
                w.Int16((short)g.ErrorCode);
                w.TaggedFields();
            });
        }
        writer.TaggedFields();
    }
}

/// <summary>
/// Reads committed offsets. A partition without a commit reads as offset -1 (absence, not a position); a null
/// topic list returns every committed partition; an unknown group is an empty answer without error, as in Kafka.
/// The sandbox has no transactions, so require_stable changes nothing.
/// </summary>
public sealed class OffsetFetchHandler : ApiHandler<OffsetFetchRequest, OffsetFetchResponse>
{
    public override ApiKey Key => ApiKey.OffsetFetch;
    public override short MinVersion => 0;
    public override short MaxVersion => 9;
    public override short FirstFlexibleVersion => 6;

    protected override ValueTask<OffsetFetchResponse?> HandleAsync(RequestContext context, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        var version = context.Version;
        var cluster = context.Cluster;
        if (version >= 8)
        {
            List<OffsetFetchResponseGroup> groups;
            lock (cluster.Sync)
            {
                groups = request.Groups.Select(g => Fetch(context, g.GroupId, g.Topics, version, g.MemberId, g.MemberEpoch)).ToList();
            }
            return ValueTask.FromResult<OffsetFetchResponse?>(new OffsetFetchResponse(0, [], ErrorCode.None, groups));
        }

        OffsetFetchResponseGroup group;
        lock (cluster.Sync)
        {
            group = Fetch(context, request.GroupId, request.Topics, version, null, -1);
        }
        var topics = group.Topics;
        if (version < 2 && group.ErrorCode != ErrorCode.None)
        {
            // No top-level error code before v2: Kafka repeats the group's error on every requested partition.
            topics = (request.Topics ?? []).Select(t => new OffsetFetchResponseTopic(t.Name,
                t.PartitionIndexes.Select(p => new OffsetFetchResponsePartition(p, -1, -1, "", group.ErrorCode)).ToList())).ToList();
        }
        return ValueTask.FromResult<OffsetFetchResponse?>(new OffsetFetchResponse(0, topics, group.ErrorCode, []));
    }

    /// <summary>One group's answer. Caller holds the cluster lock.</summary>
    private static OffsetFetchResponseGroup Fetch(RequestContext context, string groupId, IReadOnlyList<OffsetFetchRequestTopic>? topics, short version,
        string? memberId, int memberEpoch)
    {
        var coordinator = context.Cluster.Groups;
        if (!coordinator.IsCoordinator(context.Broker, groupId))
        {
            return new OffsetFetchResponseGroup(groupId, [], ErrorCode.NotCoordinator);
        }
        var group = coordinator.Find(groupId);
        var memberError = GroupCoordinator.ValidateOffsetFetch(group, memberId, memberEpoch);
        if (memberError != ErrorCode.None)
        {
            return new OffsetFetchResponseGroup(groupId, [], memberError);
        }
        if (context.Cluster.Faults.Spec.GroupIdNotFoundWithoutOffsets && (group is null || group.Offsets.Values.All(p => p.Count == 0)))
        {
            // The `no-offsets=GROUP_ID_NOT_FOUND` fault: some Kafka-protocol brokers answer so where Kafka says "no offsets".
            context.Cluster.Faults.Counters.CountError(ApiKey.OffsetFetch);
            return new OffsetFetchResponseGroup(groupId, [], ErrorCode.GroupIdNotFound);
        }
        if (topics is null)
        {
            return new OffsetFetchResponseGroup(groupId, group is null ? [] : AllCommitted(group), ErrorCode.None);
        }
        var answered = new List<OffsetFetchResponseTopic>(topics.Count);
        foreach (var topic in topics)
        {
            Dictionary<int, CommittedOffset>? committed = null;
            group?.Offsets.TryGetValue(topic.Name, out committed);
            var partitions = new List<OffsetFetchResponsePartition>(topic.PartitionIndexes.Count);
            foreach (var index in topic.PartitionIndexes)
            {
                if (committed is not null && committed.TryGetValue(index, out var offset))
                {
                    partitions.Add(new OffsetFetchResponsePartition(index, offset.Offset, offset.LeaderEpoch, offset.Metadata, ErrorCode.None));
                }
                else
                {
                    // v0 read ZooKeeper in Kafka, which answered a missing offset (or partition) with UNKNOWN_TOPIC_OR_PARTITION.
                    var error = version == 0 ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None;
                    partitions.Add(new OffsetFetchResponsePartition(index, -1, -1, "", error));
                }
            }
            answered.Add(new OffsetFetchResponseTopic(topic.Name, partitions));
        }
        return new OffsetFetchResponseGroup(groupId, answered, ErrorCode.None);
    }

    private static List<OffsetFetchResponseTopic> AllCommitted(ConsumerGroup group) =>
        group.Offsets
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => new OffsetFetchResponseTopic(t.Key, t.Value
                .OrderBy(p => p.Key)
                .Select(p => new OffsetFetchResponsePartition(p.Key, p.Value.Offset, p.Value.LeaderEpoch, p.Value.Metadata, ErrorCode.None))
                .ToList()))
            .ToList();
}
