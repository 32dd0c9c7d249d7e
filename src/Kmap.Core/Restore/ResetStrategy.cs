using Kmap.Core.Csv;

namespace Kmap.Core.Restore;

/// <summary>How a reset picks each partition's new offset; the same choices as kafka-consumer-groups.sh.</summary>
public abstract record ResetStrategy
{
    private ResetStrategy() { }

    /// <summary>Log start offset.</summary>
    public sealed record ToEarliest : ResetStrategy;

    /// <summary>Log end offset (high watermark).</summary>
    public sealed record ToLatest : ResetStrategy;

    /// <summary>The committed offset as it is (log end where nothing is committed, as Kafka does).</summary>
    public sealed record ToCurrent : ResetStrategy;

    public sealed record ToOffset(long Offset) : ResetStrategy;

    public sealed record ShiftBy(long Delta) : ResetStrategy;

    /// <summary>The first record at or after the time; log end when no record is that recent.</summary>
    public sealed record ToDateTime(DateTimeOffset Time) : ResetStrategy;

    /// <summary>ToDateTime(now - Duration).</summary>
    public sealed record ByDuration(TimeSpan Duration) : ResetStrategy;

    /// <summary>Offsets from Kafka's CSV: rows name the group (or the one group given) and the partitions.</summary>
    public sealed record FromFile(IReadOnlyList<ResetCsvRow> Rows) : ResetStrategy;
}
