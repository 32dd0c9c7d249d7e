using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DeleteTopics v0–6 (flexible from v4). Up to v5 topics are named; v6 names each by name or by id.</summary>
public sealed record DeleteTopicsRequest(IReadOnlyList<DeleteTopicState> Topics, int TimeoutMs) : IKafkaMessage<DeleteTopicsRequest>
{
    public static DeleteTopicsRequest Read(KafkaReader reader, short version)
    {
        List<DeleteTopicState> topics;
        if (version >= 6)
        {
            topics = reader.Array(t =>
            {
                var topic = new DeleteTopicState(t.NullableString(), t.Uuid());
                t.TaggedFields();
                return topic;
            });
        }
        else
        {
            topics = reader.Array(t => new DeleteTopicState(t.String(), Guid.Empty));
        }
        var timeout = reader.Int32();
        reader.TaggedFields();
        return new DeleteTopicsRequest(topics, timeout);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 6)
        {
            writer.Array(Topics, (t, topic) =>
            {
                t.NullableString(topic.Name);
                t.Uuid(topic.TopicId);
                t.TaggedFields();
            });
        }
        else
        {
            writer.Array(Topics, (t, topic) => t.String(topic.Name ?? ""));
        }
        writer.Int32(TimeoutMs);
        writer.TaggedFields();
    }
}

public sealed record DeleteTopicState(string? Name, Guid TopicId);

public sealed record DeleteTopicsResponse(int ThrottleTimeMs, IReadOnlyList<DeletableTopicResult> Responses) : IKafkaMessage<DeleteTopicsResponse>
{
    public static DeleteTopicsResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var responses = reader.Array(t =>
        {
            var name = version >= 6 ? t.NullableString() : t.String();
            var id = version >= 6 ? t.Uuid() : Guid.Empty;
            var error = (ErrorCode)t.Int16();
            var message = version >= 5 ? t.NullableString() : null;
            t.TaggedFields();
            return new DeletableTopicResult(name, id, error, message);
        });
        reader.TaggedFields();
        return new DeleteTopicsResponse(throttle, responses);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Array(Responses, (t, topic) =>
        {
            if (version >= 6)
            {
                t.NullableString(topic.Name);
                t.Uuid(topic.TopicId);
            }
            else
            {
                t.String(topic.Name ?? "");
            }
            t.Int16((short)topic.ErrorCode);
            if (version >= 5)
            {
                t.NullableString(topic.ErrorMessage);
            }
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record DeletableTopicResult(string? Name, Guid TopicId, ErrorCode ErrorCode, string? ErrorMessage);

/// <summary>
/// Deletes topics, their logs and the offsets groups committed for them, at once (Kafka deletes
/// asynchronously; the sandbox has nothing to wait for).
/// </summary>
public sealed class DeleteTopicsHandler : ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse>
{
    public override ApiKey Key => ApiKey.DeleteTopics;
    public override short MinVersion => 0;
    public override short MaxVersion => 6;
    public override short FirstFlexibleVersion => 4;

    protected override ValueTask<DeleteTopicsResponse?> HandleAsync(RequestContext context, DeleteTopicsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var results = new List<DeletableTopicResult>(request.Topics.Count);
        lock (cluster.Sync)
        {
            foreach (var wanted in request.Topics)
            {
                if (wanted.Name is not null && wanted.TopicId != Guid.Empty)
                {
                    results.Add(new(wanted.Name, wanted.TopicId, ErrorCode.InvalidRequest, "A topic may be named by name or by id, not both"));
                    continue;
                }
                var topic = wanted.Name is not null
                    ? cluster.Topics.GetValueOrDefault(wanted.Name)
                    : cluster.Topics.Values.FirstOrDefault(t => t.TopicId == wanted.TopicId);
                if (topic is null)
                {
                    var error = wanted.Name is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition;
                    var message = wanted.Name is null ? $"Topic id {wanted.TopicId} not found" : "This server does not host this topic-partition.";
                    results.Add(new(wanted.Name, wanted.TopicId, error, message));
                    continue;
                }
                cluster.Topics.Remove(topic.Name);
                // As Kafka's group coordinator does when partitions are deleted, committed offsets of the topic go too.
                foreach (var group in cluster.Groups.Groups.Values)
                {
                    group.Offsets.Remove(topic.Name);
                }
                cluster.Log($"deleted topic '{topic.Name}'");
                results.Add(new(topic.Name, topic.TopicId, ErrorCode.None, null));
            }
        }
        return ValueTask.FromResult<DeleteTopicsResponse?>(new DeleteTopicsResponse(0, results));
    }
}
