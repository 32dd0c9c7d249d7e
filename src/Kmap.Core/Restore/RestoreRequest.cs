using Kmap.Core.Filters;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>How `kmap restore` carries a backed-up position onto the target.</summary>
public enum TranslateMode
{
    /// <summary>`offset` when the target is the same cluster or its offsets verifiably line up, else `timestamp`.</summary>
    Auto,

    /// <summary>The same offset number.</summary>
    Offset,

    /// <summary>The target offset of the first record at/after the backed-up record time.</summary>
    Timestamp,

    /// <summary>MirrorMaker 2's checkpoints on the target.</summary>
    Mm2,
}

/// <summary>What to do with a translated offset outside the target's [log start, log end].</summary>
public enum OutOfRangePolicy
{
    Clamp,
    Fail,
    Earliest,
    Latest,
}

/// <summary>A restore of a backup (already merged from its chain) onto a target cluster.</summary>
public sealed record RestoreRequest(OffsetBackup Backup)
{
    public BackupFilter Filter { get; init; } = BackupFilter.All;
    public TranslateMode Translate { get; init; } = TranslateMode.Auto;

    /// <summary>MM2's alias of the source cluster: checkpoints are read from `ALIAS.checkpoints.internal`.</summary>
    public string? SourceAlias { get; init; }

    /// <summary>Instead of the backup's positions: the first record at/after this time (--to-datetime / --by-duration).</summary>
    public DateTimeOffset? ToTime { get; init; }

    public OutOfRangePolicy OutOfRange { get; init; } = OutOfRangePolicy.Clamp;

    /// <summary>Told (groups read, groups in all) while the target's committed offsets are read; null: nobody listens.</summary>
    public Action<int, int>? ReadProgress { get; init; }

    /// <summary>Replace the offsets of groups that already have offsets on the target.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Write to existing groups only where that moves them forward (MirrorMaker 2's rule).</summary>
    public bool NoRewind { get; init; }

    public bool CreateMissingTopics { get; init; }

    /// <summary>
    /// `kmap verify`: also plan the rows of groups active on the target (they stay refused, never written), so their
    /// offsets can be compared; without it an active group is refused with no rows.
    /// </summary>
    public bool IncludeActiveGroups { get; init; }
}
