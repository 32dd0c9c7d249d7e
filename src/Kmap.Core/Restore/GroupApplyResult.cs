using Kmap.Core.Cluster;

namespace Kmap.Core.Restore;

/// <summary>What applying one group's plan did; Error is set when nothing was written.</summary>
public sealed record GroupApplyResult(string Group, IReadOnlyList<PartitionResult> Partitions, string? Error)
{
    public bool Succeeded => Error is null && Partitions.All(p => p.Succeeded);
}
