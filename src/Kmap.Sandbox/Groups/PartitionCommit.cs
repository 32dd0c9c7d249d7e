namespace Kmap.Sandbox.Groups;

/// <summary>One partition of an OffsetCommit, in the coordinator's terms.</summary>
public sealed record PartitionCommit(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);
