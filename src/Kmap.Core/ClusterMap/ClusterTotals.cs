namespace Kmap.Core.ClusterMap;

/// <summary>Whole-cluster counts shown at the top of every report.</summary>
public sealed record ClusterTotals(
    int Brokers,
    int Topics,
    int Partitions,
    int Replicas,
    int UnderReplicatedPartitions,
    int OfflinePartitions,
    int ConsumerGroups,
    long Messages,
    long? SizeBytes)
{
    public static ClusterTotals Of(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var partitions = map.Topics.SelectMany(t => t.Partitions).ToList();
        return new ClusterTotals(
            map.Brokers.Count,
            map.Topics.Count,
            map.Topics.Sum(t => t.PartitionCount),
            partitions.Sum(p => p.Replicas.Count),
            partitions.Count(p => p.IsUnderReplicated),
            partitions.Count(p => p.IsOffline),
            map.ConsumerGroups.Count,
            map.Topics.Sum(t => t.TotalMessages),
            map.Topics.All(t => t.SizeBytes is null) ? null : map.Topics.Sum(t => t.SizeBytes ?? 0));
    }
}
