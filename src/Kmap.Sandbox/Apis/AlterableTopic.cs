using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>A resource of AlterConfigs or IncrementalAlterConfigs: its type, its name and the configs it changes.</summary>
public interface IAlterConfigsResource<out TConfig>
{
    sbyte ResourceType { get; }
    string ResourceName { get; }
    IReadOnlyList<TConfig> Configs { get; }
    IEnumerable<string> ConfigNames { get; }
}

/// <summary>
/// What AlterConfigs and IncrementalAlterConfigs share: the resource array of their requests (type, name, configs),
/// and the checks before changing a resource: that it is a topic (broker configs are fixed in the sandbox), that the
/// topic exists, and that no config key is repeated; then, unless validate-only, the topic's overrides are replaced.
/// </summary>
internal static class AlterableTopic
{
    /// <summary>Reads a request body of either API: the resources, validate_only, tagged fields.</summary>
    public static (IReadOnlyList<TResource> Resources, bool ValidateOnly) ReadRequest<TResource, TConfig>(KafkaReader reader, Func<KafkaReader, TConfig> readConfig,
        Func<sbyte, string, IReadOnlyList<TConfig>, TResource> resource)
    {
        var resources = reader.Array(r =>
        {
            var type = r.Int8();
            var name = r.String();
            var configs = r.Array(c =>
            {
                var config = readConfig(c);
                c.TaggedFields();
                return config;
            });
            r.TaggedFields();
            return resource(type, name, configs);
        });
        var validateOnly = reader.Bool();
        reader.TaggedFields();
        return (resources, validateOnly);
    }

    public static void WriteRequest<TConfig>(KafkaWriter writer, IReadOnlyList<IAlterConfigsResource<TConfig>> resources, bool validateOnly, Action<KafkaWriter, TConfig> writeConfig)
    {
        writer.Array(resources, (r, resource) =>
        {
            r.Int8(resource.ResourceType);
            r.String(resource.ResourceName);
            r.Array(resource.Configs, (c, config) =>
            {
                writeConfig(c, config);
                c.TaggedFields();
            });
            r.TaggedFields();
        });
        writer.Bool(validateOnly);
        writer.TaggedFields();
    }

    /// <summary>
    /// Alters each resource under the cluster lock: <paramref name="alter"/> gets a topic that passed the checks and
    /// returns its new overrides, or the error that leaves it unchanged.
    /// </summary>
    public static List<AlterConfigsResourceResponse> AlterEach<TResource>(RequestContext context, IReadOnlyList<TResource> resources, bool validateOnly,
        Func<Topic, TResource, (ErrorCode Error, string? Message, IReadOnlyDictionary<string, string>? Configs)> alter)
        where TResource : IAlterConfigsResource<object>
    {
        var cluster = context.Cluster;
        var responses = new List<AlterConfigsResourceResponse>(resources.Count);
        lock (cluster.Sync)
        {
            foreach (var resource in resources)
            {
                var (error, message, topic) = Find(cluster.Topics, resource.ResourceType, resource.ResourceName, resource.ConfigNames);
                if (topic is not null)
                {
                    (error, message, var configs) = alter(topic, resource);
                    if (configs is not null && !validateOnly)
                    {
                        topic.Configs.Clear();
                        foreach (var (name, value) in configs)
                        {
                            topic.Configs[name] = value;
                        }
                    }
                }
                responses.Add(new(error, message, resource.ResourceType, resource.ResourceName));
            }
        }
        return responses;
    }

    public static (ErrorCode Error, string? Message, Topic? Topic) Find(
        Dictionary<string, Topic> topics, sbyte resourceType, string resourceName, IEnumerable<string> configNames)
    {
        if (resourceType != ConfigResourceType.Topic)
        {
            return (ErrorCode.InvalidRequest, $"The sandbox cannot alter configs of resource type {resourceType}; only topic configs can change", null);
        }
        if (!topics.TryGetValue(resourceName, out var topic))
        {
            return (ErrorCode.UnknownTopicOrPartition, $"Topic '{resourceName}' does not exist.", null);
        }
        if (configNames.GroupBy(n => n, StringComparer.Ordinal).Any(g => g.Count() > 1))
        {
            return (ErrorCode.InvalidRequest, "Error due to duplicate config keys", null);
        }
        return (ErrorCode.None, null, topic);
    }
}
