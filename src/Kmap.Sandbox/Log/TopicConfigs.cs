using System.Globalization;

namespace Kmap.Sandbox.Log;

/// <summary>
/// Kafka's topic-level configs with their defaults (from LogConfig / ServerLogConfigs of Kafka 3.x) and
/// the broker configs they are synonyms of. An unknown name is INVALID_CONFIG, as on a real broker.
/// </summary>
public static class TopicConfigs
{
    private const string LongMax = "9223372036854775807";

    public const string CleanupPolicy = "cleanup.policy";
    public const string MaxMessageBytes = "max.message.bytes";
    public const string MessageTimestampType = "message.timestamp.type";

    public static IReadOnlyList<ConfigDefinition> All { get; } =
    [
        new(CleanupPolicy, "delete", ConfigType.List, "log.cleanup.policy", ["delete", "compact"]),
        new("compression.type", "producer", ConfigType.String, "compression.type", ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"]),
        new("delete.retention.ms", "86400000", ConfigType.Long, "log.cleaner.delete.retention.ms"),
        new("file.delete.delay.ms", "60000", ConfigType.Long, "log.segment.delete.delay.ms"),
        new("flush.messages", LongMax, ConfigType.Long, "log.flush.interval.messages"),
        new("flush.ms", LongMax, ConfigType.Long, "log.flush.interval.ms"),
        new("index.interval.bytes", "4096", ConfigType.Int, "log.index.interval.bytes"),
        new("local.retention.bytes", "-2", ConfigType.Long, "log.local.retention.bytes"),
        new("local.retention.ms", "-2", ConfigType.Long, "log.local.retention.ms"),
        new("max.compaction.lag.ms", LongMax, ConfigType.Long, "log.cleaner.max.compaction.lag.ms"),
        new(MaxMessageBytes, "1048588", ConfigType.Int, "message.max.bytes"),
        new("message.downconversion.enable", "true", ConfigType.Boolean, "log.message.downconversion.enable"),
        new("message.timestamp.after.max.ms", LongMax, ConfigType.Long, "log.message.timestamp.after.max.ms"),
        new("message.timestamp.before.max.ms", LongMax, ConfigType.Long, "log.message.timestamp.before.max.ms"),
        new(MessageTimestampType, "CreateTime", ConfigType.String, "log.message.timestamp.type", ["CreateTime", "LogAppendTime"]),
        new("min.cleanable.dirty.ratio", "0.5", ConfigType.Double, "log.cleaner.min.cleanable.ratio"),
        new("min.compaction.lag.ms", "0", ConfigType.Long, "log.cleaner.min.compaction.lag.ms"),
        new("min.insync.replicas", "1", ConfigType.Int, "min.insync.replicas"),
        new("preallocate", "false", ConfigType.Boolean, "log.preallocate"),
        new("remote.storage.enable", "false", ConfigType.Boolean, null),
        new("retention.bytes", "-1", ConfigType.Long, "log.retention.bytes"),
        new("retention.ms", "604800000", ConfigType.Long, "log.retention.ms"),
        new("segment.bytes", "1073741824", ConfigType.Int, "log.segment.bytes"),
        new("segment.index.bytes", "10485760", ConfigType.Int, "log.index.size.max.bytes"),
        new("segment.jitter.ms", "0", ConfigType.Long, "log.roll.jitter.ms"),
        new("segment.ms", "604800000", ConfigType.Long, "log.roll.ms"),
        new("unclean.leader.election.enable", "false", ConfigType.Boolean, "unclean.leader.election.enable"),
    ];

    private static readonly Dictionary<string, ConfigDefinition> ByName = All.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public static ConfigDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Why <paramref name="value"/> is not acceptable for <paramref name="name"/>, or null when it is.</summary>
    public static string? Validate(string name, string? value)
    {
        var definition = Find(name);
        if (definition is null)
        {
            return $"Unknown topic config name: {name}";
        }
        if (value is null)
        {
            return $"Null value not supported for topic configs: {name}";
        }
        return ValidateValue(definition, value);
    }

    /// <summary>Type and allowed-value checks shared by topic and broker configs.</summary>
    public static string? ValidateValue(ConfigDefinition definition, string value)
    {
        var ok = definition.Type switch
        {
            ConfigType.Int => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            ConfigType.Short => short.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            ConfigType.Long => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            ConfigType.Double => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            ConfigType.Boolean => value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };
        if (!ok)
        {
            return $"Invalid value {value} for configuration {definition.Name}: Not a number of type {definition.Type.ToString().ToUpperInvariant()}";
        }
        if (definition.AllowedValues is { } allowed)
        {
            var items = definition.Type == ConfigType.List ? value.Split(',', StringSplitOptions.TrimEntries) : [value];
            foreach (var item in items)
            {
                if (!allowed.Contains(item, StringComparer.Ordinal))
                {
                    return $"Invalid value {value} for configuration {definition.Name}: String must be one of: {string.Join(", ", allowed)}";
                }
            }
        }
        return null;
    }
}
