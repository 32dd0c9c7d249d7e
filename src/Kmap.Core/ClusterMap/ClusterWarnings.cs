using System.Globalization;

namespace Kmap.Core.ClusterMap;

/// <summary>What deserves attention in a cluster, in plain sentences (the report's warning list).</summary>
public static class ClusterWarnings
{
    public static IReadOnlyList<string> Of(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var warnings = new List<string>();
        foreach (var topic in map.Topics)
        {
            var offline = topic.Partitions.Where(p => p.IsOffline).Select(p => p.Partition).ToList();
            if (offline.Count > 0)
            {
                warnings.Add($"Topic {topic.Name}: {offline.Count} offline partition(s) (no leader): {string.Join(", ", offline)}");
            }
            var under = topic.Partitions.Where(p => p.IsUnderReplicated && !p.IsOffline).Select(p => p.Partition).ToList();
            if (under.Count > 0)
            {
                warnings.Add($"Topic {topic.Name}: {under.Count} under-replicated partition(s): {string.Join(", ", under)}");
            }
        }
        foreach (var group in map.ConsumerGroups)
        {
            var idle = group.Members.Count == 0 ? ", no active member" : "";
            if (group.LagGrowth is { IsGrowing: true } growth)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Group {group.Group}: lag growing: {growth.LagBefore} -> {growth.LagAfter} in {growth.IntervalSeconds:0.###} s ({growth.GrowthPerSecond:+0.##} records/s; produced {growth.ProducedPerSecond:0.##}/s, consumed {growth.ConsumedPerSecond:0.##}/s{idle})"));
            }
            else if (group.LagGrowth is null && group.TotalLag > 0 && group.Members.Count == 0)
            {
                // One snapshot cannot show lag growing; lag with nobody consuming is the case that only grows.
                warnings.Add($"Group {group.Group}: lag {group.TotalLag} and no active member (the lag can only grow)");
            }
            if (group.Error is not null)
            {
                warnings.Add($"Group {group.Group}: {group.Error}");
            }
        }
        return warnings;
    }
}
