namespace Kmap.Core.Restore;

/// <summary>Plan → preview → apply: a reset is this object, printed in dry-run and applied as is with --execute.</summary>
public sealed record ResetPlan(IReadOnlyList<GroupResetPlan> Groups)
{
    public bool HasErrors => Groups.Any(g => !g.CanApply);
    public int ClampedCount => Groups.Sum(g => g.Offsets.Count(o => o.IsClamped));

    /// <summary>Restore with --create-missing-topics: topics to create (name → partition count) before writing.</summary>
    public IReadOnlyDictionary<string, int> TopicsToCreate { get; init; } = new Dictionary<string, int>();

    /// <summary>Restore: plan-wide notes, e.g. which translation `auto` chose and why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
