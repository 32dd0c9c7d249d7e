namespace Kmap.Core.ClusterMap;

/// <summary>How much disk a topic uses: one copy (the leaders) and every replica.</summary>
public sealed record TopicSize(string Topic, int Partitions, long SizeBytes, long ReplicaBytes)
{
    public static IReadOnlyList<TopicSize> LargestFirst(IEnumerable<TopicSize> sizes) =>
        sizes.OrderByDescending(s => s.SizeBytes).ThenByDescending(s => s.ReplicaBytes).ThenBy(s => s.Topic, StringComparer.Ordinal).ToList();
}
