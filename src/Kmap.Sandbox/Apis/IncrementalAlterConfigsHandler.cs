using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>IncrementalAlterConfigs v0–1 (flexible from v1): SET (0), DELETE (1), APPEND (2), SUBTRACT (3) per config.</summary>
public sealed record IncrementalAlterConfigsRequest(IReadOnlyList<IncrementalAlterConfigsResource> Resources, bool ValidateOnly) : IKafkaMessage<IncrementalAlterConfigsRequest>
{
    public static IncrementalAlterConfigsRequest Read(KafkaReader reader, short version)
    {
        var resources = reader.Array(r =>
        {
            var type = r.Int8();
            var name = r.String();
            var configs = r.Array(c =>
            {
                var config = new IncrementalAlterableConfig(c.String(), c.Int8(), c.NullableString());
                c.TaggedFields();
                return config;
            });
            r.TaggedFields();
            return new IncrementalAlterConfigsResource(type, name, configs);
        });
        var validateOnly = reader.Bool();
        reader.TaggedFields();
        return new IncrementalAlterConfigsRequest(resources, validateOnly);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Resources, (r, resource) =>
        {
            r.Int8(resource.ResourceType);
            r.String(resource.ResourceName);
            r.Array(resource.Configs, (c, config) =>
            {
                c.String(config.Name);
                c.Int8(config.ConfigOperation);
                c.NullableString(config.Value);
                c.TaggedFields();
            });
            r.TaggedFields();
        });
        writer.Bool(ValidateOnly);
        writer.TaggedFields();
    }
}

public sealed record IncrementalAlterConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<IncrementalAlterableConfig> Configs);

public sealed record IncrementalAlterableConfig(string Name, sbyte ConfigOperation, string? Value)
{
    public const sbyte Set = 0;
    public const sbyte Delete = 1;
    public const sbyte Append = 2;
    public const sbyte Subtract = 3;
}

public sealed record IncrementalAlterConfigsResponse(int ThrottleTimeMs, IReadOnlyList<AlterConfigsResourceResponse> Responses) : IKafkaMessage<IncrementalAlterConfigsResponse>
{
    public static IncrementalAlterConfigsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var responses = reader.Array(AlterConfigsResourceResponse.Read);
        reader.TaggedFields();
        return new IncrementalAlterConfigsResponse(throttle, responses);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Responses, (w, response) => response.Write(w));
        writer.TaggedFields();
    }
}

/// <summary>
/// Changes topic overrides one config at a time. APPEND and SUBTRACT apply to list configs only
/// (cleanup.policy), starting from the effective value; the result is validated before anything changes.
/// Broker configs are fixed in the sandbox (INVALID_REQUEST).
/// </summary>
public sealed class IncrementalAlterConfigsHandler : ApiHandler<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse>
{
    public override ApiKey Key => ApiKey.IncrementalAlterConfigs;
    public override short MinVersion => 0;
    public override short MaxVersion => 1;
    public override short FirstFlexibleVersion => 1;

    protected override ValueTask<IncrementalAlterConfigsResponse?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var responses = new List<AlterConfigsResourceResponse>(request.Resources.Count);
        lock (cluster.Sync)
        {
            foreach (var resource in request.Resources)
            {
                var (error, message) = Alter(cluster.Topics, resource, request.ValidateOnly);
                responses.Add(new(error, message, resource.ResourceType, resource.ResourceName));
            }
        }
        return ValueTask.FromResult<IncrementalAlterConfigsResponse?>(new IncrementalAlterConfigsResponse(0, responses));
    }

    private static (ErrorCode, string?) Alter(Dictionary<string, Topic> topics, IncrementalAlterConfigsResource resource, bool validateOnly)
    {
        var (error, message, topic) = AlterableTopic.Find(topics, resource.ResourceType, resource.ResourceName, resource.Configs.Select(c => c.Name));
        if (topic is null)
        {
            return (error, message);
        }
        var updated = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
        foreach (var config in resource.Configs)
        {
            var definition = TopicConfigs.Find(config.Name);
            if (definition is null)
            {
                return (ErrorCode.InvalidConfig, $"Unknown topic config name: {config.Name}");
            }
            switch (config.ConfigOperation)
            {
                case IncrementalAlterableConfig.Set:
                    if (config.Value is null)
                    {
                        return (ErrorCode.InvalidRequest, $"Null value not supported for : {config.Name}");
                    }
                    updated[config.Name] = config.Value;
                    break;
                case IncrementalAlterableConfig.Delete:
                    updated.Remove(config.Name);
                    break;
                case IncrementalAlterableConfig.Append or IncrementalAlterableConfig.Subtract:
                    if (definition.Type != ConfigType.List)
                    {
                        var verb = config.ConfigOperation == IncrementalAlterableConfig.Append ? "append" : "subtract";
                        return (ErrorCode.InvalidConfig, $"Config value {verb} is not allowed for config key: {config.Name}");
                    }
                    var current = (updated.TryGetValue(config.Name, out var value) ? value : definition.DefaultValue ?? "")
                        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                    var items = (config.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    if (config.ConfigOperation == IncrementalAlterableConfig.Append)
                    {
                        current.AddRange(items.Where(i => !current.Contains(i, StringComparer.Ordinal)));
                    }
                    else
                    {
                        current.RemoveAll(i => items.Contains(i, StringComparer.Ordinal));
                    }
                    updated[config.Name] = string.Join(',', current);
                    break;
                default:
                    return (ErrorCode.InvalidRequest, $"Unknown config operation {config.ConfigOperation} for {config.Name}");
            }
            if (updated.TryGetValue(config.Name, out var result) && TopicConfigs.ValidateValue(definition, result) is { } problem)
            {
                return (ErrorCode.InvalidConfig, problem);
            }
        }
        if (!validateOnly)
        {
            topic.Configs.Clear();
            foreach (var (name, value) in updated)
            {
                topic.Configs[name] = value;
            }
        }
        return (ErrorCode.None, null);
    }
}
