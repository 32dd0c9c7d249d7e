using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>
/// Applies a reset plan: one admin offset commit per group that the plan allows. Kafka's OffsetCommit
/// carries one group, so throughput comes from having several groups' commits in flight at once.
/// Results come back in the plan's order whatever order the commits finish in.
/// </summary>
public sealed class ResetExecutor(IOffsetWriter writer)
{
    /// <summary>Group commits in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 32;

    public async Task<IReadOnlyList<GroupApplyResult>> ApplyAsync(ResetPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = new GroupApplyResult[plan.Groups.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Groups.Count), parallel, async (i, ct) =>
            results[i] = await ApplyGroupAsync(plan.Groups[i], ct));
        return results;
    }

    private async Task<GroupApplyResult> ApplyGroupAsync(GroupResetPlan group, CancellationToken cancellationToken)
    {
        if (!group.CanApply || group.Offsets.Count == 0)
        {
            return new GroupApplyResult(group.Group, [], group.Error);
        }
        var offsets = group.Offsets.Select(o => new CommittedOffset(o.Topic, o.Partition, o.NewOffset)).ToList();
        try
        {
            var partitions = await writer.AlterOffsetsAsync(group.Group, offsets, cancellationToken);
            return new GroupApplyResult(group.Group, partitions, null);
        }
        catch (ClusterException e)
        {
            return new GroupApplyResult(group.Group, [], e.Message);
        }
    }
}
