using Kmap.Core.Model;

namespace Kmap.Core.Cluster;

/// <summary>Read-only questions kmap asks a cluster. Implemented in Kmap.Kafka; faked in tests.</summary>
public interface IClusterReader
{
    /// <summary>The cluster id, or null when the cluster does not report one.</summary>
    Task<string?> GetClusterIdAsync(CancellationToken cancellationToken);

    /// <summary>Every group the cluster lists, in every state.</summary>
    Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken);

    /// <summary>Every partition the group has a committed offset for (OffsetFetch with no partition list).</summary>
    Task<IReadOnlyList<CommittedOffset>> ListCommittedOffsetsAsync(string group, CancellationToken cancellationToken);

    /// <summary>Log start and end of each partition; a partition the cluster does not have is absent from the answer.</summary>
    Task<IReadOnlyDictionary<TopicPartition, LogOffsets>> ListLogOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken);

    /// <summary>
    /// For each partition, the earliest offset whose record timestamp is at or after <paramref name="time"/>;
    /// null when no record is that recent (the caller treats it as the log end).
    /// </summary>
    Task<IReadOnlyDictionary<TopicPartition, long?>> ListOffsetsForTimeAsync(IReadOnlyCollection<TopicPartition> partitions, DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>Topic name → partition count for every topic the cluster has.</summary>
    Task<IReadOnlyDictionary<string, int>> ListTopicsAsync(CancellationToken cancellationToken);
}
