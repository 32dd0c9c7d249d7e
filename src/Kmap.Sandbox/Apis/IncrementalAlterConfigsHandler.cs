using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>IncrementalAlterConfigs v0–1 (flexible from v1): SET (0), DELETE (1), APPEND (2), SUBTRACT (3) per config.</summary>
public sealed record IncrementalAlterConfigsRequest(IReadOnlyList<IncrementalAlterConfigsResource> Resources, bool ValidateOnly) : IKafkaMessage<IncrementalAlterConfigsRequest>
{
    public static IncrementalAlterConfigsRequest Read(KafkaReader reader, short version)
    {
        var (resources, validateOnly) = AlterableTopic.ReadRequest(reader, c => new IncrementalAlterableConfig(c.String(), c.Int8(), c.NullableString()),
            (type, name, configs) => new IncrementalAlterConfigsResource(type, name, configs));
        return new IncrementalAlterConfigsRequest(resources, validateOnly);
    }

    public void Write(KafkaWriter writer, short version)
    {
        AlterableTopic.WriteRequest(writer, Resources, ValidateOnly, (c, config) =>
        {
            c.String(config.Name);
            c.Int8(config.ConfigOperation);
            c.NullableString(config.Value);
        });
    }
}

public sealed record IncrementalAlterConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<IncrementalAlterableConfig> Configs)
    : IAlterConfigsResource<IncrementalAlterableConfig>
{
    public IEnumerable<string> ConfigNames => Configs.Select(c => c.Name);
}

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
        var (throttle, responses) = AlterConfigsResourceResponse.ReadAll(reader);
        return new IncrementalAlterConfigsResponse(throttle, responses);
    }

    public void Write(KafkaWriter writer, short version) => AlterConfigsResourceResponse.WriteAll(writer, ThrottleTimeMs, Responses);
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

    protected override ValueTask<IncrementalAlterConfigsResponse?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IncrementalAlterConfigsResponse?>(new IncrementalAlterConfigsResponse(0, AlterableTopic.AlterEach(context, request.Resources, request.ValidateOnly, Alter)));

    private static (ErrorCode, string?, IReadOnlyDictionary<string, string>?) Alter(Topic topic, IncrementalAlterConfigsResource resource)
    {
        var updated = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
        foreach (var config in resource.Configs)
        {
            var definition = TopicConfigs.Find(config.Name);
            if (definition is null)
            {
                return (ErrorCode.InvalidConfig, $"Unknown topic config name: {config.Name}", null);
            }
            switch (config.ConfigOperation)
            {
                case IncrementalAlterableConfig.Set:
                    if (config.Value is null)
                    {
                        return (ErrorCode.InvalidRequest, $"Null value not supported for : {config.Name}", null);
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
                        return (ErrorCode.InvalidConfig, $"Config value {verb} is not allowed for config key: {config.Name}", null);
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
                    return (ErrorCode.InvalidRequest, $"Unknown config operation {config.ConfigOperation} for {config.Name}", null);
            }
            if (updated.TryGetValue(config.Name, out var result) && TopicConfigs.ValidateValue(definition, result) is { } problem)
            {
                return (ErrorCode.InvalidConfig, problem, null);
            }
        }
        return (ErrorCode.None, null, updated);
    }
}
