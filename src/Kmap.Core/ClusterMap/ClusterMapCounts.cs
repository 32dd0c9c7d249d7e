namespace Kmap.Core.ClusterMap;

/// <summary>Derives each broker's replica, leader and under-replicated counts from the topics.</summary>
public static class ClusterMapCounts
{
    public static ClusterMap WithBrokerCounts(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var partitions = map.Topics.SelectMany(t => t.Partitions).ToList();
        var brokers = map.Brokers.Select(b => b with
        {
            PartitionCount = partitions.Count(p => p.Replicas.Contains(b.Id)),
            LeaderCount = partitions.Count(p => p.Leader == b.Id),
            // The Go tool's meaning: an under-replicated partition counts on every broker with a replica of it.
            UnderReplicatedPartitions = partitions.Count(p => p.IsUnderReplicated && p.Replicas.Contains(b.Id)),
            UnderReplicatedLeaders = partitions.Count(p => p.Leader == b.Id && p.IsUnderReplicated),
        }).ToList();
        return map with { Brokers = brokers };
    }
}
