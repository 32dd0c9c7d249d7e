namespace Kmap.Core.ClusterMap;

/// <summary>A topic to create: name, partitions, replication factor and topic-level configs.</summary>
public sealed record TopicSpec(string Name, int Partitions, int ReplicationFactor, IReadOnlyList<KeyValuePair<string, string>> Configs)
{
    /// <summary>Replication factor -1: the broker's default.replication.factor (CreateTopics v4+).</summary>
    public const int BrokerDefaultReplication = -1;
}

/// <summary>The outcome for one topic; Error is null on success.</summary>
public sealed record TopicCreateResult(string Name, string? Error)
{
    /// <summary>The topic was there already (not an error with --if-not-exists).</summary>
    public bool AlreadyExists { get; init; }
}

/// <summary>Creates topics on a cluster. Implemented in Kmap.Kafka.</summary>
public interface ITopicCreator
{
    Task<IReadOnlyList<TopicCreateResult>> CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken);
}

/// <summary>What recreating one topic on the target will do.</summary>
public enum TopicAction
{
    Create,
    Exists,
    ExistsDifferent,
}

/// <summary>One line of the recreation plan.</summary>
public sealed record PlannedTopic(TopicSpec Spec, TopicAction Action, string? Note);

/// <summary>Plan → preview → apply for `kmap recreate-topics`: which topics the target lacks.</summary>
public static class TopicRecreationPlanner
{
    public static IReadOnlyList<PlannedTopic> Plan(ClusterMap source, IReadOnlyDictionary<string, int> targetTopics, int? replicationFactor)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(targetTopics);
        return RecreateScriptWriter.RecreatableTopics(source).Select(t =>
        {
            var spec = new TopicSpec(t.Name, t.PartitionCount, replicationFactor ?? Math.Max(1, t.ReplicationFactor),
                RecreateScriptWriter.CarriedConfigs(t).Select(c => KeyValuePair.Create(c.Name, c.Value!)).ToList());
            if (!targetTopics.TryGetValue(t.Name, out var partitions))
            {
                return new PlannedTopic(spec, TopicAction.Create, null);
            }
            return partitions == spec.Partitions
                ? new PlannedTopic(spec, TopicAction.Exists, null)
                : new PlannedTopic(spec, TopicAction.ExistsDifferent, $"target has {partitions} partitions, source {spec.Partitions}");
        }).ToList();
    }
}
