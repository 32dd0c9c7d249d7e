using Kmap.Core.Filters;
using Kmap.Core.Restore;

namespace Kmap.Core.Sync;

/// <summary>How `kmap sync` carries the source's positions to the target each round.</summary>
public sealed record SyncOptions
{
    public BackupFilter Filter { get; init; } = BackupFilter.All;
    public TranslateMode Translate { get; init; } = TranslateMode.Auto;

    /// <summary>With <see cref="TranslateMode.Mm2"/>: MM2's alias of the source (checkpoints in ALIAS.checkpoints.internal).</summary>
    public string? SourceAlias { get; init; }

    /// <summary>Also move groups backwards on the target (restore's --overwrite); without it only forward (--no-rewind).</summary>
    public bool AllowRewind { get; init; }

    /// <summary>Groups read and written at once.</summary>
    public int Concurrency { get; init; } = 32;

    /// <summary>Name of the source in the round's backup (its bootstrap servers).</summary>
    public string SourceName { get; init; } = "source";
}
