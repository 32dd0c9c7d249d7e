using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>CreatePartitions v0–3 (flexible from v2): grows topics to a new partition count.</summary>
public sealed record CreatePartitionsRequest(IReadOnlyList<CreatePartitionsTopic> Topics, int TimeoutMs, bool ValidateOnly) : IKafkaMessage<CreatePartitionsRequest>
{
    public static CreatePartitionsRequest Read(KafkaReader reader, short version)
    {
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var count = t.Int32();
            var assignments = t.NullableArray(a =>
            {
                var brokers = a.Array(x => x.Int32());
                a.TaggedFields();
                return (IReadOnlyList<int>)brokers;
            });
            t.TaggedFields();
            return new CreatePartitionsTopic(name, count, assignments);
        });
        var timeout = reader.Int32();
        var validateOnly = reader.Bool();
        reader.TaggedFields();
        return new CreatePartitionsRequest(topics, timeout, validateOnly);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            t.Int32(topic.Count);
            t.NullableArray(topic.Assignments, (a, brokers) =>
            {
                a.Array(brokers, (x, id) => x.Int32(id));
                a.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.Int32(TimeoutMs);
        writer.Bool(ValidateOnly);
        writer.TaggedFields();
    }
}

/// <summary>A topic to grow to <paramref name="Count"/> partitions; each assignment lists the brokers of one new partition.</summary>
public sealed record CreatePartitionsTopic(string Name, int Count, IReadOnlyList<IReadOnlyList<int>>? Assignments);

public sealed record CreatePartitionsResponse(int ThrottleTimeMs, IReadOnlyList<CreatePartitionsTopicResult> Results) : IKafkaMessage<CreatePartitionsResponse>
{
    public static CreatePartitionsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var results = reader.Array(t =>
        {
            var result = new CreatePartitionsTopicResult(t.String(), (ErrorCode)t.Int16(), t.NullableString());
            t.TaggedFields();
            return result;
        });
        reader.TaggedFields();
        return new CreatePartitionsResponse(throttle, results);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Results, (t, result) =>
        {
            t.String(result.Name);
            t.Int16((short)result.ErrorCode);
            t.NullableString(result.ErrorMessage);
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record CreatePartitionsTopicResult(string Name, ErrorCode ErrorCode, string? ErrorMessage);

/// <summary>Adds partitions (never removes them), with Kafka's messages for a count that does not grow the topic.</summary>
public sealed class CreatePartitionsHandler : ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse>
{
    public override ApiKey Key => ApiKey.CreatePartitions;
    public override short MinVersion => 0;
    public override short MaxVersion => 3;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<CreatePartitionsResponse?> HandleAsync(RequestContext context, CreatePartitionsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var results = new List<CreatePartitionsTopicResult>(request.Topics.Count);
        lock (cluster.Sync)
        {
            foreach (var wanted in request.Topics)
            {
                if (duplicates.Contains(wanted.Name))
                {
                    results.Add(new(wanted.Name, ErrorCode.InvalidRequest, "Duplicate topic in request."));
                    continue;
                }
                var (error, message) = Grow(cluster, wanted, request.ValidateOnly);
                results.Add(new(wanted.Name, error, message));
            }
        }
        return ValueTask.FromResult<CreatePartitionsResponse?>(new CreatePartitionsResponse(0, results));
    }

    private static (ErrorCode, string?) Grow(ClusterState cluster, CreatePartitionsTopic wanted, bool validateOnly)
    {
        if (!cluster.Topics.TryGetValue(wanted.Name, out var topic))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"The topic '{wanted.Name}' does not exist.");
        }
        var current = topic.Partitions.Count;
        if (wanted.Count < current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic currently has {current} partitions, which is higher than the requested {wanted.Count}.");
        }
        if (wanted.Count == current)
        {
            return (ErrorCode.InvalidPartitions, $"Topic already has {current} partitions.");
        }
        if (wanted.Count > Topic.MaxPartitions)
        {
            return (ErrorCode.InvalidPartitions, $"The sandbox holds at most {Topic.MaxPartitions} partitions per topic, not {wanted.Count}.");
        }
        if (wanted.Assignments is { } assignments)
        {
            if (assignments.Count != wanted.Count - current)
            {
                return (ErrorCode.InvalidReplicaAssignment, $"Increasing the number of partitions by {wanted.Count - current} but {assignments.Count} assignments provided.");
            }
            foreach (var brokers in assignments)
            {
                if (brokers.Count == 0 || brokers.Any(id => cluster.Brokers.All(b => b.Id != id)) || brokers.Distinct().Count() != brokers.Count)
                {
                    return (ErrorCode.InvalidReplicaAssignment, $"Invalid replica assignment [{string.Join(", ", brokers)}]: brokers must exist and appear once.");
                }
            }
        }
        if (validateOnly)
        {
            return (ErrorCode.None, null);
        }
        cluster.AddPartitions(topic, wanted.Count);
        if (wanted.Assignments is { } chosen)
        {
            for (var i = 0; i < chosen.Count; i++)
            {
                PartitionLog log = topic.Partitions[current + i];
                log.Replicas = [.. chosen[i]];
                log.LeaderId = chosen[i][0];
            }
        }
        cluster.Log($"topic '{wanted.Name}' grown from {current} to {wanted.Count} partitions");
        return (ErrorCode.None, null);
    }
}
