namespace Kmap.Core.Restore;

/// <summary>The plan for one group: the offsets it will get, or why it cannot be reset (Error, printed as Kafka prints it).</summary>
public sealed record GroupResetPlan(string Group, string? State, IReadOnlyList<PlannedOffset> Offsets)
{
    public string? Error { get; init; }
    public bool CanApply => Error is null;
}
