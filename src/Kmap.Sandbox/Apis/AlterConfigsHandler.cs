using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>AlterConfigs v0–2 (flexible from v2): replaces every override of a resource with the given set.</summary>
public sealed record AlterConfigsRequest(IReadOnlyList<AlterConfigsResource> Resources, bool ValidateOnly) : IKafkaMessage<AlterConfigsRequest>
{
    public static AlterConfigsRequest Read(KafkaReader reader, short version)
    {
        var (resources, validateOnly) = AlterableTopic.ReadRequest(reader, c => new AlterableConfig(c.String(), c.NullableString()), (type, name, configs) => new AlterConfigsResource(type, name, configs));
        return new AlterConfigsRequest(resources, validateOnly);
    }

    public void Write(KafkaWriter writer, short version)
    {
        AlterableTopic.WriteRequest(writer, Resources, ValidateOnly, (c, config) =>
        {
            c.String(config.Name);
            c.NullableString(config.Value);
        });
    }
}

public sealed record AlterConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<AlterableConfig> Configs) : IAlterConfigsResource<AlterableConfig>
{
    public IEnumerable<string> ConfigNames => Configs.Select(c => c.Name);
}

public sealed record AlterableConfig(string Name, string? Value);

public sealed record AlterConfigsResponse(int ThrottleTimeMs, IReadOnlyList<AlterConfigsResourceResponse> Responses) : IKafkaMessage<AlterConfigsResponse>
{
    public static AlterConfigsResponse Read(KafkaReader reader, short version)
    {
        var (throttle, responses) = AlterConfigsResourceResponse.ReadAll(reader);
        return new AlterConfigsResponse(throttle, responses);
    }

    public void Write(KafkaWriter writer, short version) => AlterConfigsResourceResponse.WriteAll(writer, ThrottleTimeMs, Responses);
}

/// <summary>The per-resource outcome, shared by AlterConfigs and IncrementalAlterConfigs (same layout in both).</summary>
public sealed record AlterConfigsResourceResponse(ErrorCode ErrorCode, string? ErrorMessage, sbyte ResourceType, string ResourceName)
{
    public static AlterConfigsResourceResponse Read(KafkaReader reader)
    {
        var response = new AlterConfigsResourceResponse((ErrorCode)reader.Int16(), reader.NullableString(), reader.Int8(), reader.String());
        reader.TaggedFields();
        return response;
    }

    /// <summary>A whole response body of either API: throttle, the per-resource outcomes, tagged fields.</summary>
    public static (int ThrottleTimeMs, IReadOnlyList<AlterConfigsResourceResponse> Responses) ReadAll(KafkaReader reader)
    {
        var throttle = reader.Int32();
        var responses = reader.Array(Read);
        reader.TaggedFields();
        return (throttle, responses);
    }

    public static void WriteAll(KafkaWriter writer, int throttleTimeMs, IReadOnlyList<AlterConfigsResourceResponse> responses)
    {
        writer.Int32(throttleTimeMs);
        writer.Array(responses, (w, response) => response.Write(w));
        writer.TaggedFields();
    }

    public void Write(KafkaWriter writer)
    {
        writer.Int16((short)ErrorCode);
        writer.NullableString(ErrorMessage);
        writer.Int8(ResourceType);
        writer.String(ResourceName);
        writer.TaggedFields();
    }
}

/// <summary>
/// Topic resources only: the new set is validated as a whole, then replaces the topic's overrides.
/// Broker configs are fixed in the sandbox, so altering them is INVALID_REQUEST with a message saying so.
/// </summary>
public sealed class AlterConfigsHandler : ApiHandler<AlterConfigsRequest, AlterConfigsResponse>
{
    public override ApiKey Key => ApiKey.AlterConfigs;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, AlterConfigsRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult<AlterConfigsResponse?>(new AlterConfigsResponse(0, AlterableTopic.AlterEach(context, request.Resources, request.ValidateOnly, Alter)));

    private static (ErrorCode, string?, IReadOnlyDictionary<string, string>?) Alter(Topic topic, AlterConfigsResource resource)
    {
        foreach (var config in resource.Configs)
        {
            if (TopicConfigs.Validate(config.Name, config.Value) is { } problem)
            {
                return (ErrorCode.InvalidConfig, problem, null);
            }
        }
        return (ErrorCode.None, null, resource.Configs.ToDictionary(c => c.Name, c => c.Value!, StringComparer.Ordinal));
    }
}
