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
            UnderReplicatedPartitions = partitions.Count(p => p.Leader == b.Id && p.IsUnderReplicated),
        }).ToList();
        return map with { Brokers = brokers };
    }
}
