namespace Kmap.Sandbox.Groups;

/// <summary>
/// One committed position: the next offset to consume, with what the committer attached. A struct so that
/// hundreds of thousands of them stay cheap.
/// </summary>
public readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);
