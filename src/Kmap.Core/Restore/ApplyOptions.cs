namespace Kmap.Core.Restore;

/// <summary>How a plan is applied: groups in parallel (bounded), retried on retriable errors, then read back.</summary>
public sealed record ApplyOptions
{
    public int MaxConcurrency { get; init; } = 32;

    /// <summary>Further attempts after the first for a group whose commit failed with a retriable error.</summary>
    public int Retries { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Read every written group's offsets back and compare them with the plan.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>Called as each group's result is known (from several threads at once): progress lines.</summary>
    public Action<GroupApplyResult>? GroupDone { get; init; }
}
