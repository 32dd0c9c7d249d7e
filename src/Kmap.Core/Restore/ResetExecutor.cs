using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>Applies a reset plan: one admin offset commit per group that the plan allows.</summary>
public sealed class ResetExecutor(IOffsetWriter writer)
{
    public async Task<IReadOnlyList<GroupApplyResult>> ApplyAsync(ResetPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = new List<GroupApplyResult>();
        foreach (var group in plan.Groups)
        {
            if (!group.CanApply || group.Offsets.Count == 0)
            {
                results.Add(new GroupApplyResult(group.Group, [], group.Error));
                continue;
            }
            var offsets = group.Offsets.Select(o => new CommittedOffset(o.Topic, o.Partition, o.NewOffset)).ToList();
            try
            {
                var partitions = await writer.AlterOffsetsAsync(group.Group, offsets, cancellationToken);
                results.Add(new GroupApplyResult(group.Group, partitions, null));
            }
            catch (ClusterException e)
            {
                results.Add(new GroupApplyResult(group.Group, [], e.Message));
            }
        }
        return results;
    }
}
