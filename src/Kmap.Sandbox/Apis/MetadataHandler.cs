using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>Metadata v0–13 (flexible from v9; v13 adds a top-level error code, KIP-1102). A null topic list (v1+) or an empty one at v0 means every topic.</summary>
public sealed record MetadataRequest(
    IReadOnlyList<MetadataRequestTopic>? Topics,
    bool AllowAutoTopicCreation,
    bool IncludeClusterAuthorizedOperations,
    bool IncludeTopicAuthorizedOperations) : IKafkaMessage<MetadataRequest>
{
    public static MetadataRequest Read(KafkaReader reader, short version)
    {
        var topics = reader.NullableArray(r =>
        {
            var id = version >= 10 ? r.Uuid() : Guid.Empty;
            var name = version >= 10 ? r.NullableString() : r.String();
            r.TaggedFields();
            return new MetadataRequestTopic(id, name);
        });
        if (version == 0 && topics is { Count: 0 })
        {
            topics = null;
        }
        var autoCreate = version < 4 || reader.Bool();
        var clusterOps = version is >= 8 and <= 10 && reader.Bool();
        var topicOps = version >= 8 && reader.Bool();
        reader.TaggedFields();
        return new MetadataRequest(topics, autoCreate, clusterOps, topicOps);
    }

    public void Write(KafkaWriter writer, short version)
    {
        var topics = Topics?.ToList();
        if (version == 0)
        {
            topics ??= [];
        }
        writer.NullableArray(topics, (w, t) =>
        {
            if (version >= 10)
            {
                w.Uuid(t.TopicId);
                w.NullableString(t.Name);
            }
            else
            {
                w.String(t.Name ?? "");
            }
            w.TaggedFields();
        });
        if (version >= 4)
        {
            writer.Bool(AllowAutoTopicCreation);
        }
        if (version is >= 8 and <= 10)
        {
            writer.Bool(IncludeClusterAuthorizedOperations);
        }
        if (version >= 8)
        {
            writer.Bool(IncludeTopicAuthorizedOperations);
        }
        writer.TaggedFields();
    }
}

public sealed record MetadataRequestTopic(Guid TopicId, string? Name);

public sealed record MetadataResponseBroker(int NodeId, string Host, int Port, string? Rack);

public sealed record MetadataResponsePartition(
    ErrorCode ErrorCode, int PartitionIndex, int LeaderId, int LeaderEpoch,
    IReadOnlyList<int> ReplicaNodes, IReadOnlyList<int> IsrNodes, IReadOnlyList<int> OfflineReplicas);

public sealed record MetadataResponseTopic(
    ErrorCode ErrorCode, string? Name, Guid TopicId, bool IsInternal,
    IReadOnlyList<MetadataResponsePartition> Partitions, int TopicAuthorizedOperations);

public sealed record MetadataResponse(
    int ThrottleTimeMs,
    IReadOnlyList<MetadataResponseBroker> Brokers,
    string? ClusterId,
    int ControllerId,
    IReadOnlyList<MetadataResponseTopic> Topics,
    int ClusterAuthorizedOperations) : IKafkaMessage<MetadataResponse>
{
    /// <summary>v13+: an error for the whole request (Kafka sends REBOOTSTRAP_REQUIRED there); the sandbox always answers none.</summary>
    public ErrorCode ErrorCode { get; init; }

    public static MetadataResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 3 ? reader.Int32() : 0;
        var brokers = reader.Array(r =>
        {
            var b = new MetadataResponseBroker(r.Int32(), r.String(), r.Int32(), version >= 1 ? r.NullableString() : null);
            r.TaggedFields();
            return b;
        });
        var clusterId = version >= 2 ? reader.NullableString() : null;
        var controller = version >= 1 ? reader.Int32() : -1;
        var topics = reader.Array(r =>
        {
            var error = (ErrorCode)r.Int16();
            var name = version >= 12 ? r.NullableString() : r.String();
            var id = version >= 10 ? r.Uuid() : Guid.Empty;
            var isInternal = version >= 1 && r.Bool();
            var partitions = r.Array(p =>
            {
                var perr = (ErrorCode)p.Int16();
                var index = p.Int32();
                var leader = p.Int32();
                var epoch = version >= 7 ? p.Int32() : -1;
                var replicas = p.Array(x => x.Int32());
                var isr = p.Array(x => x.Int32());
                var offline = version >= 5 ? p.Array(x => x.Int32()) : [];
                p.TaggedFields();
                return new MetadataResponsePartition(perr, index, leader, epoch, replicas, isr, offline);
            });
            var ops = version >= 8 ? r.Int32() : int.MinValue;
            r.TaggedFields();
            return new MetadataResponseTopic(error, name, id, isInternal, partitions, ops);
        });
        var clusterOps = version is >= 8 and <= 10 ? reader.Int32() : int.MinValue;
        var error = version >= 13 ? (ErrorCode)reader.Int16() : ErrorCode.None;
        reader.TaggedFields();
        return new MetadataResponse(throttle, brokers, clusterId, controller, topics, clusterOps) { ErrorCode = error };
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 3)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Array(Brokers.ToList(), (w, b) =>
        {
            w.Int32(b.NodeId);
            w.String(b.Host);
            w.Int32(b.Port);
            if (version >= 1)
            {
                w.NullableString(b.Rack);
            }
            w.TaggedFields();
        });
        if (version >= 2)
        {
            writer.NullableString(ClusterId);
        }
        if (version >= 1)
        {
            writer.Int32(ControllerId);
        }
        writer.Array(Topics.ToList(), (w, t) =>
        {
            w.Int16((short)t.ErrorCode);
            if (version >= 12)
            {
                w.NullableString(t.Name);
            }
            else
            {
                w.String(t.Name ?? "");
            }
            if (version >= 10)
            {
                w.Uuid(t.TopicId);
            }
            if (version >= 1)
            {
                w.Bool(t.IsInternal);
            }
            w.Array(t.Partitions.ToList(), (pw, p) =>
            {
                pw.Int16((short)p.ErrorCode);
                pw.Int32(p.PartitionIndex);
                pw.Int32(p.LeaderId);
                if (version >= 7)
                {
                    pw.Int32(p.LeaderEpoch);
                }
                pw.Array(p.ReplicaNodes.ToList(), (x, n) => x.Int32(n));
                pw.Array(p.IsrNodes.ToList(), (x, n) => x.Int32(n));
                if (version >= 5)
                {
                    pw.Array(p.OfflineReplicas.ToList(), (x, n) => x.Int32(n));
                }
                pw.TaggedFields();
            });
            if (version >= 8)
            {
                w.Int32(t.TopicAuthorizedOperations);
            }
            w.TaggedFields();
        });
        if (version is >= 8 and <= 10)
        {
            writer.Int32(ClusterAuthorizedOperations);
        }
        if (version >= 13)
        {
            writer.Int16((short)ErrorCode);
        }
        writer.TaggedFields();
    }
}

public sealed class MetadataHandler : ApiHandler<MetadataRequest, MetadataResponse>
{
    public override ApiKey Key => ApiKey.Metadata;
    public override short MinVersion => 0;
    public override short MaxVersion => 13;
    public override short FirstFlexibleVersion => 9;

    protected override ValueTask<MetadataResponse?> HandleAsync(RequestContext context, MetadataRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        lock (cluster.Sync)
        {
            var brokers = cluster.Brokers.Select(b => new MetadataResponseBroker(b.Id, b.Host, b.Port, b.Rack)).ToList();
            var topics = new List<MetadataResponseTopic>();
            if (request.Topics is null)
            {
                topics.AddRange(cluster.Topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(Describe));
            }
            else
            {
                foreach (var wanted in request.Topics)
                {
                    var topic = wanted.Name is not null
                        ? cluster.FindOrAutoCreateTopic(wanted.Name, request.AllowAutoTopicCreation)
                        : cluster.Topics.Values.FirstOrDefault(t => t.TopicId == wanted.TopicId);
                    if (topic is not null)
                    {
                        topics.Add(Describe(topic));
                        continue;
                    }
                    var error = wanted.Name is null ? ErrorCode.UnknownTopicId
                        : ClusterState.ValidateTopicName(wanted.Name) is not null ? ErrorCode.InvalidTopicException
                        : ErrorCode.UnknownTopicOrPartition;
                    topics.Add(new MetadataResponseTopic(error, wanted.Name, wanted.TopicId, false, [], int.MinValue));
                }
            }
            return ValueTask.FromResult<MetadataResponse?>(
                new MetadataResponse(0, brokers, cluster.ClusterId, cluster.ControllerId, topics, int.MinValue));
        }
    }

    private static MetadataResponseTopic Describe(Log.Topic topic) =>
        new(ErrorCode.None, topic.Name, topic.TopicId, topic.IsInternal,
            topic.Partitions.Select(p => new MetadataResponsePartition(
                ErrorCode.None, p.Index, p.LeaderId, p.LeaderEpoch, p.Replicas, p.Replicas, [])).ToList(),
            int.MinValue);
}
