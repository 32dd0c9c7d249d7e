namespace Kmap.Core.Model;

/// <summary>A committed offset as saved in a backup, with the partition's log range at backup time when known.</summary>
public sealed record BackedUpOffset(string Topic, int Partition, long Offset)
{
    public int? LeaderEpoch { get; init; }
    public string? Metadata { get; init; }
    public long? LogStartOffset { get; init; }
    public long? LogEndOffset { get; init; }

    /// <summary>Records between the committed position and the log end; null when the log end is unknown.</summary>
    public long? Lag => LogEndOffset is { } end ? Math.Max(0, end - Offset) : null;

    public TopicPartition TopicPartition => new(Topic, Partition);
}
