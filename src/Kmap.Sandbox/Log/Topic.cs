using System.Globalization;

namespace Kmap.Sandbox.Log;

/// <summary>A topic: its id, partitions and the configs set on it (overrides of the broker defaults).</summary>
public sealed class Topic
{
    public Topic(string name, Guid topicId, short replicationFactor)
    {
        Name = name;
        TopicId = topicId;
        ReplicationFactor = replicationFactor;
    }

    /// <summary>
    /// A sandbox limit, not Kafka's (which has none per topic): a request for two billion partitions must be an
    /// error, not an out-of-memory crash.
    /// </summary>
    public const int MaxPartitions = 100_000;

    public string Name { get; }
    public Guid TopicId { get; }
    public short ReplicationFactor { get; }
    public List<PartitionLog> Partitions { get; } = [];
    public Dictionary<string, string> Configs { get; } = new(StringComparer.Ordinal);
    public bool IsInternal => Name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>The effective value of a config: the override if set, else Kafka's default.</summary>
    public string? ConfigValue(string name) => Configs.TryGetValue(name, out var value) ? value : TopicConfigs.Find(name)?.DefaultValue;

    /// <summary>message.timestamp.type=LogAppendTime: the broker stamps batches with its own clock.</summary>
    public bool UsesLogAppendTime => ConfigValue(TopicConfigs.MessageTimestampType) == "LogAppendTime";

    /// <summary>max.message.bytes: the largest record batch the topic accepts.</summary>
    public int MaxMessageBytes =>
        int.TryParse(ConfigValue(TopicConfigs.MaxMessageBytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bytes) ? bytes : 1048588;
}
