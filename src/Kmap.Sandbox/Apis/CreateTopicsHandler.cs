using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>CreateTopics v0–7 (flexible from v5; v5 returns the created topic's layout and configs, v7 its id).</summary>
public sealed record CreateTopicsRequest(IReadOnlyList<CreatableTopic> Topics, int TimeoutMs, bool ValidateOnly) : IKafkaMessage<CreateTopicsRequest>
{
    public static CreateTopicsRequest Read(KafkaReader reader, short version)
    {
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var partitions = t.Int32();
            var replicationFactor = t.Int16();
            var assignments = t.Array(a =>
            {
                var assignment = new CreatableReplicaAssignment(a.Int32(), a.Array(x => x.Int32()));
                a.TaggedFields();
                return assignment;
            });
            var configs = t.Array(c =>
            {
                var config = new CreatableTopicConfig(c.String(), c.NullableString());
                c.TaggedFields();
                return config;
            });
            t.TaggedFields();
            return new CreatableTopic(name, partitions, replicationFactor, assignments, configs);
        });
        var timeout = reader.Int32();
        var validateOnly = version >= 1 && reader.Bool();
        reader.TaggedFields();
        return new CreateTopicsRequest(topics, timeout, validateOnly);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            t.Int32(topic.NumPartitions);
            t.Int16(topic.ReplicationFactor);
            t.Array(topic.Assignments, (a, assignment) =>
            {
                a.Int32(assignment.PartitionIndex);
                a.Array(assignment.BrokerIds, (x, id) => x.Int32(id));
                a.TaggedFields();
            });
            t.Array(topic.Configs, (c, config) =>
            {
                c.String(config.Name);
                c.NullableString(config.Value);
                c.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.Int32(TimeoutMs);
        if (version >= 1)
        {
            writer.Bool(ValidateOnly);
        }
        writer.TaggedFields();
    }
}

public sealed record CreatableTopic(string Name, int NumPartitions, short ReplicationFactor, IReadOnlyList<CreatableReplicaAssignment> Assignments, IReadOnlyList<CreatableTopicConfig> Configs);

public sealed record CreatableReplicaAssignment(int PartitionIndex, IReadOnlyList<int> BrokerIds);

public sealed record CreatableTopicConfig(string Name, string? Value);

public sealed record CreateTopicsResponse(int ThrottleTimeMs, IReadOnlyList<CreatableTopicResult> Topics) : IKafkaMessage<CreateTopicsResponse>
{
    public static CreateTopicsResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 2 ? reader.Int32() : 0;
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var id = version >= 7 ? t.Uuid() : Guid.Empty;
            var error = (ErrorCode)t.Int16();
            var message = version >= 1 ? t.NullableString() : null;
            var partitions = version >= 5 ? t.Int32() : -1;
            var replicationFactor = version >= 5 ? t.Int16() : (short)-1;
            var configs = version >= 5
                ? t.NullableArray(c =>
                {
                    var config = new CreatableTopicConfigs(c.String(), c.NullableString(), c.Bool(), c.Int8(), c.Bool());
                    c.TaggedFields();
                    return config;
                })
                : null;
            t.TaggedFields();
            return new CreatableTopicResult(name, id, error, message, partitions, replicationFactor, configs);
        });
        reader.TaggedFields();
        return new CreateTopicsResponse(throttle, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 2)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            if (version >= 7)
            {
                t.Uuid(topic.TopicId);
            }
            t.Int16((short)topic.ErrorCode);
            if (version >= 1)
            {
                t.NullableString(topic.ErrorMessage);
            }
            if (version >= 5)
            {
                t.Int32(topic.NumPartitions);
                t.Int16(topic.ReplicationFactor);
                t.NullableArray(topic.Configs, (c, config) =>
                {
                    c.String(config.Name);
                    c.NullableString(config.Value);
                    c.Bool(config.ReadOnly);
                    c.Int8(config.ConfigSource);
                    c.Bool(config.IsSensitive);
                    c.TaggedFields();
                });
            }
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record CreatableTopicResult(
    string Name, Guid TopicId, ErrorCode ErrorCode, string? ErrorMessage, int NumPartitions, short ReplicationFactor,
    IReadOnlyList<CreatableTopicConfigs>? Configs)
{
    public static CreatableTopicResult Failed(string name, ErrorCode error, string message) => new(name, Guid.Empty, error, message, -1, -1, null);
}

public sealed record CreatableTopicConfigs(string Name, string? Value, bool ReadOnly, sbyte ConfigSource, bool IsSensitive);

/// <summary>
/// Creates topics with Kafka's broker-side checks: topic name rules, partitions and replication factor
/// larger than 0 (or -1 for the broker default, v4+), replication factor ≤ live brokers, replica
/// assignments naming existing brokers, known config names with valid values, and names not already taken.
/// Any broker accepts the request (as KRaft brokers forward it to the controller).
/// </summary>
public sealed class CreateTopicsHandler : ApiHandler<CreateTopicsRequest, CreateTopicsResponse>
{
    public override ApiKey Key => ApiKey.CreateTopics;
    public override short MinVersion => 0;
    public override short MaxVersion => 7;
    public override short FirstFlexibleVersion => 5;

    protected override ValueTask<CreateTopicsResponse?> HandleAsync(RequestContext context, CreateTopicsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var duplicates = request.Topics.GroupBy(t => t.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var results = new List<CreatableTopicResult>(request.Topics.Count);
        lock (cluster.Sync)
        {
            foreach (var wanted in request.Topics)
            {
                if (duplicates.Contains(wanted.Name))
                {
                    results.Add(CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidRequest, $"Create topics request from client `{context.ClientId}` contains multiple entries for the following topics: {wanted.Name}"));
                    continue;
                }
                results.Add(Create(cluster, wanted, request.ValidateOnly));
            }
        }
        return ValueTask.FromResult<CreateTopicsResponse?>(new CreateTopicsResponse(0, results));
    }

    private static CreatableTopicResult Create(ClusterState cluster, CreatableTopic wanted, bool validateOnly)
    {
        if (ClusterState.ValidateTopicName(wanted.Name) is { } nameProblem)
        {
            return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidTopicException, nameProblem);
        }
        if (cluster.Topics.ContainsKey(wanted.Name))
        {
            return CreatableTopicResult.Failed(wanted.Name, ErrorCode.TopicAlreadyExists, $"Topic '{wanted.Name}' already exists.");
        }
        // Kafka's metric names turn '.' into '_', so "a.b" and "a_b" may not both exist.
        var collision = cluster.Topics.Keys.FirstOrDefault(existing => MetricName(existing) == MetricName(wanted.Name));
        if (collision is not null)
        {
            return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidTopicException, $"Topic '{wanted.Name}' collides with existing topic: {collision}");
        }
        var partitions = wanted.NumPartitions;
        var replicationFactor = wanted.ReplicationFactor;
        if (wanted.Assignments.Count > 0)
        {
            if (partitions != -1 || replicationFactor != -1)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidRequest, "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            if (AssignmentProblem(cluster, wanted.Assignments) is { } assignmentProblem)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidReplicaAssignment, assignmentProblem);
            }
            partitions = wanted.Assignments.Count;
            replicationFactor = (short)wanted.Assignments[0].BrokerIds.Count;
        }
        else
        {
            if (partitions == -1)
            {
                partitions = cluster.Options.DefaultPartitions;
            }
            if (replicationFactor == -1)
            {
                replicationFactor = 1;
            }
            if (partitions <= 0)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
            }
            if (partitions > Topic.MaxPartitions)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidPartitions, $"The sandbox holds at most {Topic.MaxPartitions} partitions per topic, not {partitions}.");
            }
            if (replicationFactor <= 0)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0.");
            }
            if (replicationFactor > cluster.Brokers.Count)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidReplicationFactor,
                    $"Unable to replicate the partition {replicationFactor} time(s): The target replication factor of {replicationFactor} cannot be reached because only {cluster.Brokers.Count} broker(s) are registered.");
            }
        }
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var config in wanted.Configs)
        {
            if (TopicConfigs.Validate(config.Name, config.Value) is { } configProblem)
            {
                return CreatableTopicResult.Failed(wanted.Name, ErrorCode.InvalidConfig, configProblem);
            }
            configs[config.Name] = config.Value!;
        }
        var topicId = Guid.Empty;
        if (!validateOnly)
        {
            var topic = cluster.CreateTopic(wanted.Name, partitions, replicationFactor, configs);
            if (wanted.Assignments.Count > 0)
            {
                foreach (var assignment in wanted.Assignments)
                {
                    var log = topic.Partitions[assignment.PartitionIndex];
                    log.Replicas = [.. assignment.BrokerIds];
                    log.LeaderId = assignment.BrokerIds[0];
                }
            }
            topicId = topic.TopicId;
            cluster.Log($"created topic '{wanted.Name}' with {partitions} partition(s), replication factor {replicationFactor}");
        }
        var described = TopicConfigs.All.Select(d => configs.TryGetValue(d.Name, out var value)
            ? new CreatableTopicConfigs(d.Name, value, false, (sbyte)ConfigSource.DynamicTopicConfig, false)
            : new CreatableTopicConfigs(d.Name, d.DefaultValue, false, (sbyte)ConfigSource.DefaultConfig, false)).ToList();
        return new CreatableTopicResult(wanted.Name, topicId, ErrorCode.None, null, partitions, replicationFactor, described);
    }

    private static string MetricName(string topic) => topic.Replace('.', '_');

    private static string? AssignmentProblem(ClusterState cluster, IReadOnlyList<CreatableReplicaAssignment> assignments)
    {
        var indexes = assignments.Select(a => a.PartitionIndex).Order().ToList();
        if (!indexes.SequenceEqual(Enumerable.Range(0, assignments.Count)))
        {
            return "Partitions should be a consecutive 0-based integer sequence";
        }
        var replicationFactor = assignments[0].BrokerIds.Count;
        foreach (var assignment in assignments)
        {
            if (assignment.BrokerIds.Count == 0 || assignment.BrokerIds.Count != replicationFactor)
            {
                return "All partitions should have the same number of replicas, and at least one";
            }
            if (assignment.BrokerIds.Distinct().Count() != assignment.BrokerIds.Count)
            {
                return $"Duplicate brokers not allowed in replica assignment: {string.Join(", ", assignment.BrokerIds)} for partition id {assignment.PartitionIndex}.";
            }
            if (assignment.BrokerIds.FirstOrDefault(id => cluster.Brokers.All(b => b.Id != id), -1) is var missing and not -1)
            {
                return $"Unknown broker {missing} in replica assignment of partition {assignment.PartitionIndex}";
            }
        }
        return null;
    }
}
