namespace Kmap.Sandbox.Log;

/// <summary>Config value types as DescribeConfigs v3+ reports them (numbers from Kafka's ConfigDef.Type mapping).</summary>
public enum ConfigType : sbyte
{
    Unknown = 0,
    Boolean = 1,
    String = 2,
    Int = 3,
    Short = 4,
    Long = 5,
    Double = 6,
    List = 7,
    Class = 8,
    Password = 9,
}

/// <summary>Where a config value comes from, as DescribeConfigs v1+ reports it.</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,
    DynamicTopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    DynamicBrokerLoggerConfig = 6,
}

/// <summary>One known config: its default, its type, and the broker config it falls back to.</summary>
public sealed record ConfigDefinition(string Name, string? DefaultValue, ConfigType Type, string? BrokerSynonym, IReadOnlyList<string>? AllowedValues = null);
