using Kmap.Core.Model;

namespace Kmap.Core.Cluster;

/// <summary>The changes kmap makes to a cluster's groups. Implemented in Kmap.Kafka; faked in tests.</summary>
public interface IOffsetWriter
{
    /// <summary>
    /// Told once, before many commits, which groups are about to be written: a writer may look their coordinators
    /// up together. Doing nothing is correct; each commit must still find its coordinator on its own.
    /// </summary>
    Task PrepareCommitsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Commits the offsets for the group (admin commit); one result per partition.</summary>
    Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken);

    Task<IReadOnlyList<PartitionResult>> DeleteOffsetsAsync(string group, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken);
}
