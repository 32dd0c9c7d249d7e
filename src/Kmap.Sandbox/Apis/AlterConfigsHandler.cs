using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>AlterConfigs v0–2 (flexible from v2): replaces every override of a resource with the given set.</summary>
public sealed record AlterConfigsRequest(IReadOnlyList<AlterConfigsResource> Resources, bool ValidateOnly) : IKafkaMessage<AlterConfigsRequest>
{
    public static AlterConfigsRequest Read(KafkaReader reader, short version)
    {
        var resources = reader.Array(r =>
        {
            var type = r.Int8();
            var name = r.String();
            var configs = r.Array(c =>
            {
                var config = new AlterableConfig(c.String(), c.NullableString());
                c.TaggedFields();
                return config;
            });
            r.TaggedFields();
            return new AlterConfigsResource(type, name, configs);
        });
        var validateOnly = reader.Bool();
        reader.TaggedFields();
        return new AlterConfigsRequest(resources, validateOnly);
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
                c.NullableString(config.Value);
                c.TaggedFields();
            });
            r.TaggedFields();
        });
        writer.Bool(ValidateOnly);
        writer.TaggedFields();
    }
}

public sealed record AlterConfigsResource(sbyte ResourceType, string ResourceName, IReadOnlyList<AlterableConfig> Configs);

public sealed record AlterableConfig(string Name, string? Value);

public sealed record AlterConfigsResponse(int ThrottleTimeMs, IReadOnlyList<AlterConfigsResourceResponse> Responses) : IKafkaMessage<AlterConfigsResponse>
{
    public static AlterConfigsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var responses = reader.Array(AlterConfigsResourceResponse.Read);
        reader.TaggedFields();
        return new AlterConfigsResponse(throttle, responses);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Responses, (w, response) => response.Write(w));
        writer.TaggedFields();
    }
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

    protected override ValueTask<AlterConfigsResponse?> HandleAsync(RequestContext context, AlterConfigsRequest request, CancellationToken cancellationToken)
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
        return ValueTask.FromResult<AlterConfigsResponse?>(new AlterConfigsResponse(0, responses));
    }

    private static (ErrorCode, string?) Alter(Dictionary<string, Topic> topics, AlterConfigsResource resource, bool validateOnly)
    {
        var (error, message, topic) = AlterableTopic.Find(topics, resource.ResourceType, resource.ResourceName, resource.Configs.Select(c => c.Name));
        if (topic is null)
        {
            return (error, message);
        }
        foreach (var config in resource.Configs)
        {
            if (TopicConfigs.Validate(config.Name, config.Value) is { } problem)
            {
                return (ErrorCode.InvalidConfig, problem);
            }
        }
        if (!validateOnly)
        {
            topic.Configs.Clear();
            foreach (var config in resource.Configs)
            {
                topic.Configs[config.Name] = config.Value!;
            }
        }
        return (ErrorCode.None, null);
    }
}
