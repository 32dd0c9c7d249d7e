using Kmap.Core.Model;

namespace Kmap.Core.Cluster;

/// <summary>What happened to one partition of a write; Error is null on success.</summary>
public sealed record PartitionResult(TopicPartition TopicPartition, string? Error)
{
    public bool Succeeded => Error is null;
}
