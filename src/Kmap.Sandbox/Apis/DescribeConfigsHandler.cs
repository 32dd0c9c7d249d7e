using System.Globalization;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>Config resource types (Kafka's ConfigResource.Type).</summary>
public static class ConfigResourceType
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;
    public const sbyte BrokerLogger = 8;
}

/// <summary>DescribeConfigs v0–4 (flexible from v4; v1 adds sources and synonyms, v3 types and documentation).</summary>
public sealed record DescribeConfigsRequest(IReadOnlyList<DescribeConfigsResource> Resources, bool IncludeSynonyms, bool IncludeDocumentation) : IKafkaMessage<DescribeConfigsRequest>
{
    public static DescribeConfigsRequest Read(KafkaReader reader, short version)
    {
        var resources = reader.Array(r =>
        {
            var resource = new DescribeConfigsResource(r.Int8(), r.String(), r.NullableArray(k => k.String()));
            r.TaggedFields();
            return resource;
        });
        var synonyms = version >= 1 && reader.Bool();
        var documentation = version >= 3 && reader.Bool();
        reader.TaggedFields();
        return new DescribeConfigsRequest(resources, synonyms, documentation);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Resources, (r, resource) =>
        {
            r.Int8(resource.ResourceType);
            r.String(resource.ResourceName);
            r.NullableArray(resource.ConfigurationKeys, (k, key) => k.String(key));
            r.TaggedFields();
        });
        if (version >= 1)
        {
            writer.Bool(IncludeSynonyms);
        }
        if (version >= 3)
        {
            writer.Bool(IncludeDocumentation);
        }
        writer.TaggedFields();
    }
}

/// <summary>A resource to describe; null keys means every config.</summary>
public sealed record DescribeConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<string>? ConfigurationKeys);

public sealed record DescribeConfigsResponse(int ThrottleTimeMs, IReadOnlyList<DescribeConfigsResult> Results) : IKafkaMessage<DescribeConfigsResponse>
{
    public static DescribeConfigsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var results = reader.Array(r =>
        {
            var error = (ErrorCode)r.Int16();
            var message = r.NullableString();
            var type = r.Int8();
            var name = r.String();
            var configs = r.Array(c =>
            {
                var configName = c.String();
                var value = c.NullableString();
                var readOnly = c.Bool();
                var isDefault = version == 0 && c.Bool();
                var source = version >= 1 ? c.Int8() : (sbyte)-1;
                var sensitive = c.Bool();
                var synonyms = version >= 1
                    ? c.Array(s =>
                    {
                        var synonym = new DescribeConfigsSynonym(s.String(), s.NullableString(), s.Int8());
                        s.TaggedFields();
                        return synonym;
                    })
                    : [];
                var configType = version >= 3 ? c.Int8() : (sbyte)0;
                var documentation = version >= 3 ? c.NullableString() : null;
                c.TaggedFields();
                return new DescribeConfigsEntry(configName, value, readOnly, isDefault, source, sensitive, synonyms, configType, documentation);
            });
            r.TaggedFields();
            return new DescribeConfigsResult(error, message, type, name, configs);
        });
        reader.TaggedFields();
        return new DescribeConfigsResponse(throttle, results);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Results, (r, result) =>
        {
            r.Int16((short)result.ErrorCode);
            r.NullableString(result.ErrorMessage);
            r.Int8(result.ResourceType);
            r.String(result.ResourceName);
            r.Array(result.Configs, (c, config) =>
            {
                c.String(config.Name);
                c.NullableString(config.Value);
                c.Bool(config.ReadOnly);
                if (version == 0)
                {
                    c.Bool(config.IsDefault);
                }
                else
                {
                    c.Int8(config.ConfigSource);
                }
                c.Bool(config.IsSensitive);
                if (version >= 1)
                {
                    c.Array(config.Synonyms, (s, synonym) =>
                    {
                        s.String(synonym.Name);
                        s.NullableString(synonym.Value);
                        s.Int8(synonym.Source);
                        s.TaggedFields();
                    });
                }
                if (version >= 3)
                {
                    c.Int8(config.ConfigType);
                    c.NullableString(config.Documentation);
                }
                c.TaggedFields();
            });
            r.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record DescribeConfigsResult(ErrorCode ErrorCode, string? ErrorMessage, sbyte ResourceType, string ResourceName, IReadOnlyList<DescribeConfigsEntry> Configs);

public sealed record DescribeConfigsEntry(
    string Name, string? Value, bool ReadOnly, bool IsDefault, sbyte ConfigSource, bool IsSensitive,
    IReadOnlyList<DescribeConfigsSynonym> Synonyms, sbyte ConfigType, string? Documentation);

public sealed record DescribeConfigsSynonym(string Name, string? Value, sbyte Source);

/// <summary>
/// Topic configs: every known topic config, overrides with source DYNAMIC_TOPIC_CONFIG and the rest with
/// Kafka's defaults and source DEFAULT_CONFIG (is_default at v0). Broker configs: see <see cref="BrokerConfigs"/>.
/// </summary>
public sealed class DescribeConfigsHandler : ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse>
{
    public override ApiKey Key => ApiKey.DescribeConfigs;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;
    public override short FirstFlexibleVersion => 4;

    protected override ValueTask<DescribeConfigsResponse?> HandleAsync(RequestContext context, DescribeConfigsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var results = new List<DescribeConfigsResult>(request.Resources.Count);
        lock (cluster.Sync)
        {
            foreach (var resource in request.Resources)
            {
                results.Add(resource.ResourceType switch
                {
                    ConfigResourceType.Topic => DescribeTopic(cluster, resource, request.IncludeSynonyms),
                    ConfigResourceType.Broker => DescribeBroker(cluster, resource, request.IncludeSynonyms),
                    _ => new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unsupported resource type {resource.ResourceType}", resource.ResourceType, resource.ResourceName, []),
                });
            }
        }
        return ValueTask.FromResult<DescribeConfigsResponse?>(new DescribeConfigsResponse(0, results));
    }

    private static DescribeConfigsResult DescribeTopic(ClusterState cluster, DescribeConfigsResource resource, bool includeSynonyms)
    {
        if (!cluster.Topics.TryGetValue(resource.ResourceName, out var topic))
        {
            return new DescribeConfigsResult(ErrorCode.UnknownTopicOrPartition, $"Topic '{resource.ResourceName}' does not exist.", resource.ResourceType, resource.ResourceName, []);
        }
        var entries = new List<DescribeConfigsEntry>();
        foreach (var definition in TopicConfigs.All)
        {
            if (resource.ConfigurationKeys is { } keys && !keys.Contains(definition.Name, StringComparer.Ordinal))
            {
                continue;
            }
            var synonyms = new List<DescribeConfigsSynonym>();
            var isOverride = topic.Configs.TryGetValue(definition.Name, out var value);
            if (includeSynonyms)
            {
                if (isOverride)
                {
                    synonyms.Add(new(definition.Name, value, (sbyte)ConfigSource.DynamicTopicConfig));
                }
                if (definition.BrokerSynonym is { } brokerName)
                {
                    synonyms.Add(new(brokerName, definition.DefaultValue, (sbyte)ConfigSource.DefaultConfig));
                }
            }
            var source = isOverride ? ConfigSource.DynamicTopicConfig : ConfigSource.DefaultConfig;
            entries.Add(new DescribeConfigsEntry(definition.Name, isOverride ? value : definition.DefaultValue, false, !isOverride,
                (sbyte)source, false, synonyms, (sbyte)definition.Type, null));
        }
        return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, entries);
    }

    private static DescribeConfigsResult DescribeBroker(ClusterState cluster, DescribeConfigsResource resource, bool includeSynonyms)
    {
        if (resource.ResourceName.Length == 0)
        {
            // The cluster-wide dynamic default: the sandbox has none.
            return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, []);
        }
        if (!int.TryParse(resource.ResourceName, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || cluster.Brokers.FirstOrDefault(b => b.Id == id) is not { } broker)
        {
            return new DescribeConfigsResult(ErrorCode.InvalidRequest, $"Unexpected broker id, expected a broker id or empty string, but received {resource.ResourceName}",
                resource.ResourceType, resource.ResourceName, []);
        }
        var entries = BrokerConfigs.For(cluster, broker)
            .Where(e => resource.ConfigurationKeys is null || resource.ConfigurationKeys.Contains(e.Name, StringComparer.Ordinal))
            .Select(e => new DescribeConfigsEntry(e.Name, e.Value, e.ReadOnly, e.Source == ConfigSource.DefaultConfig, (sbyte)e.Source, false,
                includeSynonyms ? [new DescribeConfigsSynonym(e.Name, e.Value, (sbyte)e.Source)] : [], (sbyte)e.Type, null))
            .ToList();
        return new DescribeConfigsResult(ErrorCode.None, null, resource.ResourceType, resource.ResourceName, entries);
    }
}
