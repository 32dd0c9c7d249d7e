using System.Globalization;
using System.Text;

namespace Kmap.Core.ClusterMap;

/// <summary>The cluster map for people on a terminal (`kmap report --format table`): totals, warnings, brokers, topics, groups.</summary>
public static class ClusterMapTable
{
    public static string Render(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var totals = map.Totals;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Cluster: {map.Cluster} (id {map.ClusterId ?? "unknown"}, controller {Number(map.ControllerId)}) at {map.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"{totals.Brokers} brokers, {totals.Topics} topics, {totals.Partitions} partitions ({totals.UnderReplicatedPartitions} under-replicated, {totals.OfflinePartitions} offline), {totals.ConsumerGroups} groups, {totals.Messages} messages\n");
        var warnings = ClusterWarnings.Of(map);
        text.Append(CultureInfo.InvariantCulture, $"\nWarnings: {(warnings.Count == 0 ? "none" : warnings.Count.ToString(CultureInfo.InvariantCulture))}\n");
        foreach (var warning in warnings)
        {
            text.Append("  ").Append(warning).Append('\n');
        }
        text.Append('\n');
        Columns(text, ["BROKER", "HOST", "PORT", "RACK", "CONTROLLER", "REPLICAS", "LEADERS", "UNDER-REPLICATED"],
            map.Brokers.Select(b => new[] { Number(b.Id), b.Host, Number(b.Port), b.Rack ?? "-", b.IsController ? "yes" : "no", Number(b.PartitionCount), Number(b.LeaderCount), Number(b.UnderReplicatedPartitions) }));
        text.Append('\n');
        Columns(text, ["TOPIC", "PARTITIONS", "REPLICATION", "MESSAGES", "UNDER-REPLICATED", "OFFLINE", "SIZE"],
            map.Topics.Select(t => new[]
            {
                t.Name, Number(t.PartitionCount), Number(t.ReplicationFactor), Number(t.MessageCount),
                Number(t.Partitions.Count(p => p.IsUnderReplicated)), Number(t.Partitions.Count(p => p.IsOffline)),
                t.SizeBytes is { } size ? HumanBytes.Format(size) : "-",
            }));
        text.Append('\n');
        Columns(text, ["GROUP", "TYPE", "STATE", "MEMBERS", "PARTITIONS", "LAG", "LAG-GROWTH/S"],
            map.ConsumerGroups.Select(g => new[]
            {
                g.Group, g.Type ?? "-", g.State, Number(g.Members.Count), Number(g.Offsets.Count), Number(g.TotalLag),
                g.LagGrowth is { } growth ? growth.GrowthPerSecond.ToString("+0.##;-0.##;0", CultureInfo.InvariantCulture) : "-",
            }));
        return text.ToString();
    }

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>Names left, the rest left too (as kafka-*.sh tables), two spaces between columns.</summary>
    private static void Columns(StringBuilder text, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }
    }
}
