using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// What AlterConfigs and IncrementalAlterConfigs both check before changing a resource: that it is a topic
/// (broker configs are fixed in the sandbox), that the topic exists, and that no config key is repeated.
/// </summary>
internal static class AlterableTopic
{
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
