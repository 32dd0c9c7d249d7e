using Kmap.Core.Cluster;

namespace Kmap.Core.Restore;

/// <summary>What applying one group's plan did; Error is set when nothing was written.</summary>
public sealed record GroupApplyResult(string Group, IReadOnlyList<PartitionResult> Partitions, string? Error)
{
    public bool Succeeded => Error is null && Partitions.All(p => p.Succeeded) && VerifyError is null;

    /// <summary>How many commits were sent (more than one after retriable errors).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>The read-back found offsets other than the ones written (or could not read them).</summary>
    public string? VerifyError { get; init; }

    /// <summary>Nothing to write: the target already had exactly these offsets.</summary>
    public bool WasNoOp { get; init; }

    /// <summary>Written; its read-back comes after the other groups' writes, in multi-group batches.</summary>
    public bool ReadBackPending { get; init; }

    /// <summary>The plan refused the group (active, partitions missing, out of range…): nothing was sent for it.</summary>
    public bool Refused { get; init; }

    /// <summary>Written, then read back from the cluster and found equal to the plan.</summary>
    public bool Verified { get; init; }

    /// <summary>Interrupted (Ctrl-C) before the group's commit was sent or retried: nothing of it was written.</summary>
    public bool Interrupted { get; init; }
}
