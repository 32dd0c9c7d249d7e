using System.Globalization;
using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Log;

/// <summary>One broker config as DescribeConfigs shows it.</summary>
public sealed record BrokerConfigEntry(string Name, string? Value, ConfigType Type, ConfigSource Source, bool ReadOnly);

/// <summary>
/// The broker configs the sandbox reports: the few that reflect how it was started (static), then the
/// broker-side defaults behind every topic config. Broker configs cannot be altered in the sandbox.
/// </summary>
public static class BrokerConfigs
{
    public static IReadOnlyList<BrokerConfigEntry> For(ClusterState cluster, Broker broker)
    {
        var entries = new List<BrokerConfigEntry>
        {
            new("broker.id", broker.Id.ToString(CultureInfo.InvariantCulture), ConfigType.Int, ConfigSource.StaticBrokerConfig, true),
            new("node.id", broker.Id.ToString(CultureInfo.InvariantCulture), ConfigType.Int, ConfigSource.StaticBrokerConfig, true),
            new("listeners", $"PLAINTEXT://{broker.Host}:{broker.Port}", ConfigType.String, ConfigSource.StaticBrokerConfig, false),
            new("advertised.listeners", $"PLAINTEXT://{broker.Host}:{broker.Port}", ConfigType.String, ConfigSource.StaticBrokerConfig, false),
            new("broker.rack", broker.Rack, ConfigType.String, ConfigSource.DefaultConfig, true),
            new("auto.create.topics.enable", cluster.Options.AutoCreateTopics ? "true" : "false", ConfigType.Boolean, ConfigSource.StaticBrokerConfig, true),
            new("num.partitions", cluster.Options.DefaultPartitions.ToString(CultureInfo.InvariantCulture), ConfigType.Int, ConfigSource.StaticBrokerConfig, true),
            new("default.replication.factor", "1", ConfigType.Int, ConfigSource.DefaultConfig, true),
            new("offsets.topic.replication.factor", "1", ConfigType.Short, ConfigSource.StaticBrokerConfig, true),
            new("offsets.topic.num.partitions", "50", ConfigType.Int, ConfigSource.DefaultConfig, true),
            new("delete.topic.enable", "true", ConfigType.Boolean, ConfigSource.DefaultConfig, true),
            new("log.dirs", LogDirectory(broker), ConfigType.String, ConfigSource.StaticBrokerConfig, true),
            new("log.retention.hours", "168", ConfigType.Int, ConfigSource.DefaultConfig, true),
        };
        var known = entries.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var topicConfig in TopicConfigs.All)
        {
            if (topicConfig.BrokerSynonym is { } name && known.Add(name))
            {
                entries.Add(new BrokerConfigEntry(name, topicConfig.DefaultValue, topicConfig.Type, ConfigSource.DefaultConfig, false));
            }
        }
        return entries;
    }

    /// <summary>The one log directory each sandbox broker reports.</summary>
    public static string LogDirectory(Broker broker) => $"/var/lib/kmap-sandbox/broker-{broker.Id}";
}
