namespace Kmap.Core.Model;

/// <summary>
/// A committed position: the offset of the next record the group will consume.
/// A partition without a committed offset has no CommittedOffset at all (never -1).
/// </summary>
public sealed record CommittedOffset(string Topic, int Partition, long Offset)
{
    public int? LeaderEpoch { get; init; }
    public string? Metadata { get; init; }

    public TopicPartition TopicPartition => new(Topic, Partition);
}
