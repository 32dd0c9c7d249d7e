namespace Kmap.Core.Restore;

/// <summary>Plan → preview → apply: a reset is this object, printed in dry-run and applied as is with --execute.</summary>
public sealed record ResetPlan(IReadOnlyList<GroupResetPlan> Groups)
{
    public bool HasErrors => Groups.Any(g => !g.CanApply);
    public int ClampedCount => Groups.Sum(g => g.Offsets.Count(o => o.IsClamped));
}
