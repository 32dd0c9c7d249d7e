using System.Globalization;

namespace Kmap.Core.ClusterMap;

/// <summary>What `kmap compare` checks; each can be left out (e.g. messages right after recreating topics).</summary>
public sealed record CompareOptions
{
    public bool Topics { get; init; } = true;
    public bool Configs { get; init; } = true;
    public bool Messages { get; init; } = true;
    public bool Groups { get; init; } = true;
}

/// <summary>One difference between two clusters. Source and Target are null when the thing is absent on that side.</summary>
public sealed record ClusterDifference(string Kind, string Subject, string? Source, string? Target)
{
    /// <summary>
    /// For a group offset whose numbers differ but which points at the same place of each cluster's log (a translated
    /// restore): why the two are equivalent. Such a row is shown, but is not a difference.
    /// </summary>
    public string? Equivalence { get; init; }
}

/// <summary>
/// Compares two cluster maps the way a migration is checked: topics, partition counts, replication
/// factors, topic-level configs, message counts and committed group offsets. Kafka's internal topics
/// are left out (each cluster has its own).
/// </summary>
public static class ClusterComparison
{
    public static IReadOnlyList<ClusterDifference> Compare(ClusterMap source, ClusterMap target, CompareOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var differences = new List<ClusterDifference>();
        var sourceTopics = source.Topics.Where(t => !t.IsInternal).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var targetTopics = target.Topics.Where(t => !t.IsInternal).ToDictionary(t => t.Name, StringComparer.Ordinal);
        foreach (var name in sourceTopics.Keys.Union(targetTopics.Keys).Order(StringComparer.Ordinal))
        {
            sourceTopics.TryGetValue(name, out var a);
            targetTopics.TryGetValue(name, out var b);
            if (a is null || b is null)
            {
                if (options.Topics)
                {
                    differences.Add(new("topic", name, a is null ? null : "present", b is null ? null : "present"));
                }
                continue;
            }
            if (options.Topics)
            {
                Add(differences, "partitions", name, a.PartitionCount, b.PartitionCount);
                Add(differences, "replication_factor", name, a.ReplicationFactor, b.ReplicationFactor);
            }
            if (options.Configs)
            {
                var ca = a.Configs.Where(c => c.IsTopicOverride).ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
                var cb = b.Configs.Where(c => c.IsTopicOverride).ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);
                foreach (var key in ca.Keys.Union(cb.Keys).Order(StringComparer.Ordinal))
                {
                    var va = ca.TryGetValue(key, out var x) ? x ?? "(secret)" : null;
                    var vb = cb.TryGetValue(key, out var y) ? y ?? "(secret)" : null;
                    if (va != vb)
                    {
                        differences.Add(new("config", $"{name} {key}", va, vb));
                    }
                }
            }
            if (options.Messages)
            {
                Add(differences, "messages", name, a.MessageCount, b.MessageCount);
            }
        }
        if (options.Groups)
        {
            CompareGroups(source, target, differences);
        }
        return differences;
    }

    private static void CompareGroups(ClusterMap source, ClusterMap target, List<ClusterDifference> differences)
    {
        // Groups without committed offsets carry nothing a migration must preserve.
        var sourceGroups = source.ConsumerGroups.Where(g => g.Offsets.Count > 0).ToDictionary(g => g.Group, StringComparer.Ordinal);
        var targetGroups = target.ConsumerGroups.Where(g => g.Offsets.Count > 0).ToDictionary(g => g.Group, StringComparer.Ordinal);
        foreach (var name in sourceGroups.Keys.Union(targetGroups.Keys).Order(StringComparer.Ordinal))
        {
            sourceGroups.TryGetValue(name, out var a);
            targetGroups.TryGetValue(name, out var b);
            if (a is null || b is null)
            {
                differences.Add(new("group", name, a is null ? null : $"{a.Offsets.Count} committed partitions", b is null ? null : $"{b.Offsets.Count} committed partitions"));
                continue;
            }
            var oa = a.Offsets.ToDictionary(o => (o.Topic, o.Partition), o => o.Offset);
            var ob = b.Offsets.ToDictionary(o => (o.Topic, o.Partition), o => o.Offset);
            foreach (var key in oa.Keys.Union(ob.Keys).OrderBy(k => k.Topic, StringComparer.Ordinal).ThenBy(k => k.Partition))
            {
                long? va = oa.TryGetValue(key, out var x) ? x : null;
                long? vb = ob.TryGetValue(key, out var y) ? y : null;
                Add(differences, "group_offset", $"{name} {key.Topic}-{key.Partition}", va, vb);
            }
        }
    }

    private static void Add(List<ClusterDifference> differences, string kind, string subject, long? a, long? b)
    {
        if (a != b)
        {
            differences.Add(new(kind, subject, a?.ToString(CultureInfo.InvariantCulture), b?.ToString(CultureInfo.InvariantCulture)));
        }
    }
}
