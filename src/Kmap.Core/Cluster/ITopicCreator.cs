namespace Kmap.Core.Cluster;

/// <summary>Creates topics (restore's --create-missing-topics). Implemented in Kmap.Kafka.</summary>
public interface ITopicCreator
{
    /// <summary>Creates each topic with its partition count and the cluster's default replication; one result per topic.</summary>
    Task<IReadOnlyList<GroupResult>> CreateTopicsAsync(IReadOnlyDictionary<string, int> partitionCounts, CancellationToken cancellationToken);
}
