using System.Globalization;
using System.Text;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The Graphviz picture (`-dot FILE`): brokers, topics and the groups reading them. Node ids are
/// generated (b1, t0, g0); names only appear in quoted labels. Above <see cref="SummaryThreshold"/>
/// topics or groups the graph switches to a summary: topics grouped by name prefix, one edge per
/// (group prefix, topic prefix), so `dot` still lays it out in seconds and a person can read it.
/// </summary>
public static class ClusterGraphviz
{
    public const int SummaryThreshold = 150;

    public static string Render(ClusterMap map, int summaryThreshold = SummaryThreshold)
    {
        ArgumentNullException.ThrowIfNull(map);
        var dot = new StringBuilder();
        dot.Append("digraph kafka {\n");
        dot.Append("  graph [rankdir=LR, fontname=\"Helvetica\", label=").Append(Quote($"Kafka cluster {map.Cluster}")).Append(", labelloc=t];\n");
        dot.Append("  node [fontname=\"Helvetica\", fontsize=10];\n");
        dot.Append("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#667085\"];\n");
        dot.Append("  subgraph cluster_brokers {\n    label=\"brokers\"; style=rounded; color=\"#98a2b3\";\n");
        foreach (var broker in map.Brokers)
        {
            var label = $"broker {broker.Id}{(broker.IsController ? " (controller)" : "")}\n{broker.Host}:{broker.Port}\n{broker.LeaderCount} leaders / {broker.PartitionCount} replicas";
            dot.Append(CultureInfo.InvariantCulture, $"    b{broker.Id} [shape=box3d, label={Quote(label)}];\n");
        }
        dot.Append("  }\n");
        if (map.Topics.Count > summaryThreshold || map.ConsumerGroups.Count > summaryThreshold)
        {
            RenderSummary(map, dot);
        }
        else
        {
            RenderFull(map, dot);
        }
        dot.Append("}\n");
        return dot.ToString();
    }

    private static void RenderFull(ClusterMap map, StringBuilder dot)
    {
        var topicIds = new Dictionary<string, string>(StringComparer.Ordinal);
        dot.Append("  subgraph cluster_topics {\n    label=\"topics\"; style=rounded; color=\"#98a2b3\";\n");
        for (var i = 0; i < map.Topics.Count; i++)
        {
            var topic = map.Topics[i];
            topicIds[topic.Name] = $"t{i}";
            var bad = topic.Partitions.Any(p => p.IsUnderReplicated || p.IsOffline);
            var label = $"{topic.Name}\n{topic.PartitionCount} partitions, RF {topic.ReplicationFactor}";
            dot.Append(CultureInfo.InvariantCulture, $"    t{i} [shape=folder, label={Quote(label)}{(bad ? ", color=\"#b42318\"" : "")}];\n");
        }
        dot.Append("  }\n");
        foreach (var (topic, i) in map.Topics.Select((t, i) => (t, i)))
        {
            foreach (var leaders in topic.Partitions.Where(p => p.Leader is not null).GroupBy(p => p.Leader!.Value).OrderBy(g => g.Key))
            {
                dot.Append(CultureInfo.InvariantCulture, $"  b{leaders.Key} -> t{i} [label=\"{leaders.Count()}\", arrowhead=none, style=dotted];\n");
            }
        }
        dot.Append("  subgraph cluster_groups {\n    label=\"consumer groups\"; style=rounded; color=\"#98a2b3\";\n");
        for (var i = 0; i < map.ConsumerGroups.Count; i++)
        {
            var group = map.ConsumerGroups[i];
            var label = $"{group.Group}\n{group.State}, {group.Members.Count} members, lag {group.TotalLag}";
            dot.Append(CultureInfo.InvariantCulture, $"    g{i} [shape=ellipse, label={Quote(label)}];\n");
        }
        dot.Append("  }\n");
        for (var i = 0; i < map.ConsumerGroups.Count; i++)
        {
            foreach (var topic in map.ConsumerGroups[i].Offsets.Select(o => o.Topic).Distinct(StringComparer.Ordinal))
            {
                if (topicIds.TryGetValue(topic, out var id))
                {
                    dot.Append(CultureInfo.InvariantCulture, $"  {id} -> g{i};\n");
                }
            }
        }
    }

    private static void RenderSummary(ClusterMap map, StringBuilder dot)
    {
        dot.Append(CultureInfo.InvariantCulture, $"  note [shape=note, label={Quote($"summary: {map.Topics.Count} topics and {map.ConsumerGroups.Count} groups, grouped by name prefix")}];\n");
        var topicGroups = map.Topics.GroupBy(t => Prefix(t.Name), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        var topicPrefixIds = new Dictionary<string, string>(StringComparer.Ordinal);
        dot.Append("  subgraph cluster_topics {\n    label=\"topics by prefix\"; style=rounded; color=\"#98a2b3\";\n");
        for (var i = 0; i < topicGroups.Count; i++)
        {
            var g = topicGroups[i];
            topicPrefixIds[g.Key] = $"tp{i}";
            var label = $"{g.Key}*\n{g.Count()} topics, {g.Sum(t => t.PartitionCount)} partitions";
            dot.Append(CultureInfo.InvariantCulture, $"    tp{i} [shape=folder, label={Quote(label)}];\n");
        }
        dot.Append("  }\n");
        var groupGroups = map.ConsumerGroups.GroupBy(g => Prefix(g.Group), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        dot.Append("  subgraph cluster_groups {\n    label=\"consumer groups by prefix\"; style=rounded; color=\"#98a2b3\";\n");
        for (var i = 0; i < groupGroups.Count; i++)
        {
            var g = groupGroups[i];
            var label = $"{g.Key}*\n{g.Count()} groups, lag {g.Sum(x => x.TotalLag)}";
            dot.Append(CultureInfo.InvariantCulture, $"    gp{i} [shape=ellipse, label={Quote(label)}];\n");
        }
        dot.Append("  }\n");
        for (var i = 0; i < groupGroups.Count; i++)
        {
            var reads = groupGroups[i]
                .SelectMany(g => g.Offsets.Select(o => Prefix(o.Topic)))
                .Where(topicPrefixIds.ContainsKey)
                .GroupBy(p => p, StringComparer.Ordinal)
                .OrderBy(p => p.Key, StringComparer.Ordinal);
            foreach (var read in reads)
            {
                dot.Append(CultureInfo.InvariantCulture, $"  {topicPrefixIds[read.Key]} -> gp{i} [label=\"{read.Count()}\"];\n");
            }
        }
    }

    /// <summary>The part of a name before its first '.', '-' or '_' (the usual namespace separators).</summary>
    internal static string Prefix(string name)
    {
        var cut = name.IndexOfAny(['.', '-', '_'], 1);
        return cut < 0 ? name : name[..(cut + 1)];
    }

    /// <summary>A DOT double-quoted string: backslash and quote escaped, line breaks as \n (centered lines).</summary>
    internal static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append(@"\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append(@"\n"); break;
                case '\r': break;
                case < ' ' or '\u007f': text.Append(' '); break;
                default: text.Append(c); break;
            }
        }
        return text.Append('"').ToString();
    }
}
