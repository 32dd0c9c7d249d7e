using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kmap.Core.Scripts;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// Writes the topic recreation script (`-recreate-script FILE`). Same rules as the restore script:
/// fixed logic, cluster names and config values only as data in a quoted here-document.
/// </summary>
public static partial class RecreateScriptWriter
{
    public static string Write(ClusterMap map, string kmapVersion, string? kmapPath)
    {
        ArgumentNullException.ThrowIfNull(map);
        var topics = RecreatableTopics(map);
        var header = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"#   Mapped:        {map.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\n")
            .Append(CultureInfo.InvariantCulture, $"#   Source:        {ShellQuoting.EscapeForPrintfB(map.Cluster)}\n")
            .Append(CultureInfo.InvariantCulture, $"#   Topics:        {topics.Count} ({topics.Sum(t => t.PartitionCount)} partitions; internal topics left out)\n")
            .Append(CultureInfo.InvariantCulture, $"#   Written by:    kmap {ShellQuoting.EscapeForPrintfB(kmapVersion)}\n");
        return Token().Replace(RecreateScriptTemplate.Text, m => m.Groups["name"].Value switch
        {
            "HEADER" => header.ToString(),
            "BOOTSTRAP_LINES" => BootstrapLines(map.Cluster),
            "KMAP_BINARY" => ShellQuoting.SingleQuote(kmapPath ?? ""),
            _ => DataBlock(topics),
        });
    }

    /// <summary>The topics a recreation carries: every topic but Kafka's internal ones.</summary>
    public static IReadOnlyList<TopicInfo> RecreatableTopics(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.Topics.Where(t => !t.IsInternal).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The configs to pass to --config: set on the topic itself, and not secret (their value is not readable).</summary>
    public static IReadOnlyList<TopicConfigEntry> CarriedConfigs(TopicInfo topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return topic.Configs.Where(c => c.IsTopicOverride && !c.IsSensitive && c.Value is not null).ToList();
    }

    private static string BootstrapLines(string cluster)
    {
        if (SafeBootstrap().IsMatch(cluster))
        {
            return $"BOOTSTRAP_SERVERS=\"${{BOOTSTRAP_SERVERS:-{cluster}}}\"\n";
        }
        return $"mapped_cluster={ShellQuoting.SingleQuote(cluster)}\n"
             + "BOOTSTRAP_SERVERS=\"${BOOTSTRAP_SERVERS:-$mapped_cluster}\"\n";
    }

    private static string DataBlock(IReadOnlyList<TopicInfo> topics)
    {
        var data = new StringBuilder();
        foreach (var topic in topics)
        {
            if (!LegalTopic().IsMatch(topic.Name))
            {
                throw new FormatException($"'{topic.Name}' is not a legal Kafka topic name (letters, digits, '.', '_', '-', at most 249)");
            }
            data.Append("topic\t").Append(topic.Name)
                .Append('\t').Append(topic.PartitionCount.ToString(CultureInfo.InvariantCulture))
                .Append('\t').Append(Math.Max(1, topic.ReplicationFactor).ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var config in CarriedConfigs(topic))
            {
                if (config.Value!.Contains('\0', StringComparison.Ordinal) || config.Name.Contains('\0', StringComparison.Ordinal))
                {
                    throw new FormatException($"topic '{topic.Name}': config {config.Name} contains a NUL character, which bash cannot pass as an argument");
                }
                data.Append("config\t").Append(ShellQuoting.EscapeForPrintfB(config.Name))
                    .Append('\t').Append(ShellQuoting.EscapeForPrintfB(config.Value)).Append('\n');
            }
        }
        return data.ToString();
    }

    [GeneratedRegex("@@(?<name>HEADER|BOOTSTRAP_LINES|DATA)@@\n|@@(?<name>KMAP_BINARY)@@")]
    private static partial Regex Token();

    [GeneratedRegex(@"^[A-Za-z0-9._:,\[\]/-]+$")]
    private static partial Regex SafeBootstrap();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex LegalTopic();
}
