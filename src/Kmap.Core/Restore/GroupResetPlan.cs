namespace Kmap.Core.Restore;

/// <summary>The plan for one group: the offsets it will get, or why it cannot be reset (Error, printed as Kafka prints it).</summary>
public sealed record GroupResetPlan(string Group, string? State, IReadOnlyList<PlannedOffset> Offsets)
{
    public string? Error { get; init; }

    /// <summary>
    /// The group's type from the backup (<see cref="Model.GroupType"/>; null: classic). A share group's offsets are
    /// written with AlterShareGroupOffsets, every other type's with an admin OffsetCommit.
    /// </summary>
    public string? Type { get; init; }

    public bool IsShare => Model.GroupType.IsShare(Type);
    public bool CanApply => Error is null;

    /// <summary>Members on the target when the group is active there (not Empty/Dead); null otherwise.</summary>
    public int? ActiveMembers { get; init; }

    public bool IsActive => ActiveMembers is not null;

    /// <summary>Restore: group-level warnings shown with the plan (e.g. kept because it already exists on the target).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Rows that will be written; the rest are shown only.</summary>
    public IReadOnlyList<PlannedOffset> Writes => Offsets.Where(o => o.Write).ToList();

    /// <summary>The group had committed offsets on the target when the plan was made.</summary>
    public bool ExistsOnTarget { get; init; }

    /// <summary>Rows `--translate auto` could not decide (see <see cref="PlannedOffset.Ambiguous"/>).</summary>
    public bool HasAmbiguous => Offsets.Any(o => o.IsAmbiguous);

    /// <summary>Every written row already equals the target's committed offset: applying changes nothing.</summary>
    public bool IsNoOp => Offsets.Where(o => o.Write).All(o => o.Current == o.NewOffset);
}
