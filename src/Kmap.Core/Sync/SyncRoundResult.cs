namespace Kmap.Core.Sync;

/// <summary>Why a partition was not written in a round.</summary>
public enum SkipReason
{
    /// <summary>Its position could not be translated (AMBIGUOUS under auto, no MM2 checkpoint).</summary>
    Untranslatable,

    /// <summary>Writing it would move the group backwards on the target (no --allow-rewind).</summary>
    WouldRewind,

    /// <summary>Its group is refused by restore's rules (partitions missing on the target, cannot be described).</summary>
    Refused,

    /// <summary>Its group's commit failed (retried as restore retries); the next round tries again.</summary>
    Failed,

    /// <summary>Interrupted (Ctrl-C/SIGTERM) before its group's commit was sent.</summary>
    Interrupted,
}

/// <summary>What one round of `kmap sync` did: the numbers of the round's log line and of the metrics.</summary>
public sealed record SyncRoundResult
{
    /// <summary>Source groups the round looked at (handed-over ones excluded).</summary>
    public int Groups { get; init; }

    public int PartitionsWritten { get; init; }

    /// <summary>Partitions whose target position already was the translated one.</summary>
    public int PartitionsUnchanged { get; init; }

    /// <summary>Rows planned outside the target's log and moved into it.</summary>
    public int PartitionsClamped { get; init; }

    public IReadOnlyDictionary<SkipReason, int> Skipped { get; init; } = new Dictionary<SkipReason, int>();

    public int GroupsWritten { get; init; }

    /// <summary>Groups refused by restore's rules this round (partitions missing on the target, not describable).</summary>
    public int GroupsRefused { get; init; }

    /// <summary>Groups whose commit failed this round.</summary>
    public int GroupsFailed { get; init; }

    /// <summary>Groups refused or failed this round (restore's exit 3 for `--once`).</summary>
    public int GroupsNotSynced => GroupsRefused + GroupsFailed;

    /// <summary>Groups that became active on the target (or were moved there by another client) in this round.</summary>
    public IReadOnlyList<string> HandedOverNow { get; init; } = [];

    /// <summary>Groups handed over in this run or an earlier one (never written again).</summary>
    public int HandedOverTotal { get; init; }

    /// <summary>Source groups whose offsets could not be read this round (skipped; read again next round).</summary>
    public int ReadFailures { get; init; }

    /// <summary>Per group: seconds between the record it reads next on the source and the one its target position points at.</summary>
    public IReadOnlyDictionary<string, double> TranslationLag { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    public double? MaxTranslationLag => TranslationLag.Count == 0 ? null : TranslationLag.Values.Max();

    /// <summary>Stopped by Ctrl-C/SIGTERM: the commits in flight were awaited, no further group was started.</summary>
    public bool Interrupted { get; init; }

    public int SkippedTotal => Skipped.Values.Sum();
}
