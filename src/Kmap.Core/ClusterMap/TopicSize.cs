namespace Kmap.Core.ClusterMap;

/// <summary>How much disk a topic uses: one copy (the leaders) and every replica.</summary>
public sealed record TopicSize(string Topic, int Partitions, long SizeBytes, long ReplicaBytes)
{
    /// <summary>By bytes over every replica first, as the Go tool sorted its total_size_bytes.</summary>
    public static IReadOnlyList<TopicSize> LargestFirst(IEnumerable<TopicSize> sizes) =>
        sizes.OrderByDescending(s => s.ReplicaBytes).ThenByDescending(s => s.SizeBytes).ThenBy(s => s.Topic, StringComparer.Ordinal).ToList();
}
