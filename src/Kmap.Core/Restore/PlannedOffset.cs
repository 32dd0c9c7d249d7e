namespace Kmap.Core.Restore;

/// <summary>
/// One partition's planned new offset. Requested is what the strategy asked for before clamping into
/// [LogStart, LogEnd]; when they differ the row is clamped and the difference is replayed or skipped records.
/// </summary>
public sealed record PlannedOffset(string Topic, int Partition, long NewOffset)
{
    public long? Requested { get; init; }
    public long? Current { get; init; }
    public long? LogStart { get; init; }
    public long? LogEnd { get; init; }

    public bool IsClamped => Requested is { } r && r != NewOffset;

    /// <summary>A short note for clamped rows, e.g. "clamped: 999 is past the log end 10".</summary>
    public string? ClampNote => Requested is { } r && r != NewOffset
        ? r > NewOffset ? $"clamped: {r} is past the log end {NewOffset}" : $"clamped: {r} is before the log start {NewOffset}"
        : null;
}
