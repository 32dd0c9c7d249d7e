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

    /// <summary>Restore: the offset in the backup this row comes from.</summary>
    public long? BackupOffset { get; init; }

    /// <summary>Restore: how NewOffset was derived (offset, timestamp, mm2 checkpoint, datetime).</summary>
    public string? Derivation { get; init; }

    /// <summary>Restore: what the user should know about this row (clamped, kept, no checkpoint…).</summary>
    public string? Note { get; init; }

    /// <summary>False when the row is shown but not written (kept existing offset, --no-rewind, no checkpoint).</summary>
    public bool Write { get; init; } = true;

    /// <summary>
    /// Restore under `--translate auto`: why the backed-up record time does not say which target record is which (every
    /// record of the target partition is newer, or older, than it). Such a row is never written: the operator chooses.
    /// </summary>
    public string? Ambiguous { get; init; }

    /// <summary>An ambiguous row: what `--translate offset` would commit (the backed-up number, clamped into the log).</summary>
    public long? IfOffset { get; init; }

    /// <summary>An ambiguous row: what `--translate timestamp` would commit.</summary>
    public long? IfTimestamp { get; init; }

    public bool IsAmbiguous => Ambiguous is not null;

    /// <summary>The offset the group has after the plan is applied: NewOffset when written, else the kept one (null: none).</summary>
    public long? Outcome => Write ? NewOffset : Current;

    /// <summary>Outcome against Current: 0 when the row keeps the committed offset, null when there is none either way.</summary>
    public long? OutcomeChange => Write ? Change : Current is null ? null : 0;

    /// <summary>Records the group will read again (negative) or skip (positive) compared to its current committed offset.</summary>
    public long? Change => Current is { } c ? NewOffset - c : null;

    public bool IsClamped => Requested is { } r && r != NewOffset;

    /// <summary>A short note for clamped rows, e.g. "clamped: 999 is past the log end 10".</summary>
    public string? ClampNote => Requested is { } r && r != NewOffset
        ? r > NewOffset ? $"clamped: {r} is past the log end {NewOffset}" : $"clamped: {r} is before the log start {NewOffset}"
        : null;
}
