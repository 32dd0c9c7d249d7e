namespace Kmap.Core.Model;

/// <summary>A committed offset as saved in a backup, with the partition's log range at backup time when known.</summary>
public sealed record BackedUpOffset(string Topic, int Partition, long Offset)
{
    public int? LeaderEpoch { get; init; }
    public string? Metadata { get; init; }
    public long? LogStartOffset { get; init; }
    public long? LogEndOffset { get; init; }

    /// <summary>Time of the last consumed record (offset - 1); null when unread, gone or not asked for.</summary>
    public DateTimeOffset? LastConsumedTimestamp { get; init; }

    /// <summary>Time of the record the group reads next (offset); null when the group is caught up or it was not read.</summary>
    public DateTimeOffset? NextRecordTimestamp { get; init; }

    /// <summary>The group had read everything there was at backup time.</summary>
    public bool IsCaughtUp => LogEndOffset is { } end && Offset >= end;

    /// <summary>Records between the committed position and the log end; null when the log end is unknown.</summary>
    public long? Lag => LogEndOffset is { } end ? Math.Max(0, end - Offset) : null;

    public TopicPartition TopicPartition => new(Topic, Partition);
}
