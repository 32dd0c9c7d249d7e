using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>A topic by id and name with some of its partitions, as ConsumerGroupDescribe and ShareGroupDescribe list assignments.</summary>
public sealed record DescribedTopicPartitions(Guid TopicId, string TopicName, IReadOnlyList<int> Partitions)
{
    public static DescribedTopicPartitions Read(KafkaReader r)
    {
        var topic = new DescribedTopicPartitions(r.Uuid(), r.String(), r.Array(x => x.Int32()));
        r.TaggedFields();
        return topic;
    }

    public void Write(KafkaWriter w)
    {
        w.Uuid(TopicId);
        w.String(TopicName);
        w.Array(Partitions.ToList(), (x, p) => x.Int32(p));
        w.TaggedFields();
    }

    /// <summary>Groups partitions by topic, sorted, skipping topics deleted since. Caller holds the cluster lock.</summary>
    public static List<DescribedTopicPartitions> From(ClusterState cluster, IEnumerable<GroupTopicPartition> partitions) =>
        partitions
            .GroupBy(p => p.Topic, StringComparer.Ordinal)
            .Where(g => cluster.Topics.ContainsKey(g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DescribedTopicPartitions(cluster.Topics[g.Key].TopicId, g.Key, g.Select(p => p.Partition).Order().ToList()))
            .ToList();

    /// <summary>Without an authorizer Kafka allows every group operation: READ (3), DELETE (6) and DESCRIBE (8).</summary>
    public const int AllGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);
}
