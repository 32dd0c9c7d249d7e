using Kmap.Core.Model;

namespace Kmap.Core.Cluster;

/// <summary>
/// Share groups' (KIP-932) start offsets: a share group commits no offsets, it keeps a start offset per partition,
/// read with DescribeShareGroupOffsets and set with AlterShareGroupOffsets (only while the group has no member).
/// Implemented in Kmap.Kafka; a reader or writer without it cannot back up or restore share groups.
/// </summary>
public interface IShareGroupOffsets
{
    /// <summary>Each group's start offsets, or why they could not be read; a share group that does not exist has none.</summary>
    Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>> ListShareGroupOffsetsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken);

    /// <summary>Sets the share group's start offsets in one request; one result per partition.</summary>
    Task<IReadOnlyList<PartitionResult>> AlterShareGroupOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken);
}
