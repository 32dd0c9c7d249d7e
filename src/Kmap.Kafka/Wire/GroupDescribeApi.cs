using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// One of the four describe requests Kafka 4 has, one per group type: DescribeGroups (classic), ConsumerGroupDescribe
/// (API 69, KIP-848), StreamsGroupDescribe (API 89, KIP-1071) and ShareGroupDescribe (API 77, KIP-932). All take many
/// groups per request to a coordinator and answer each group with an error code, a state and members, so
/// <see cref="WireGroupDescriber"/> batches them the same way.
/// </summary>
internal abstract class GroupDescribeApi
{
    public abstract short Key { get; }

    /// <summary>The group type this request describes, as ListGroups v5 names it.</summary>
    public abstract string Type { get; }

    /// <summary>The version to send given the broker's highest; -1 when the broker does not speak one kmap decodes.</summary>
    public abstract short Version(short brokerMax);

    public virtual void WriteRequest(WireWriter w, IReadOnlyList<string> groups, short version)
    {
        w.CompactArrayLength(groups.Count);
        foreach (var group in groups)
        {
            w.CompactString(group);
        }
        w.Bool(false); // include_authorized_operations
        w.EmptyTaggedFields();
    }

    /// <summary>
    /// Decodes the answer: groups with a retriable error are left out (still pending), a group this API does not
    /// know (GROUP_ID_NOT_FOUND: it is of another type, or does not exist) has a null description.
    /// </summary>
    public abstract List<(string Group, GroupDescription? Description)> ReadResponse(WireReader reader, WireBroker coordinator, short version);

    /// <summary>One group's answer, from its error code and what the group is.</summary>
    protected (string, GroupDescription?) Answer(string group, short error, string? message, string state, IReadOnlyList<GroupMember> members,
        string? assignor, WireBroker coordinator)
    {
        if (error == KafkaErrorCodes.GroupIdNotFound)
        {
            return (group, null);
        }
        var address = $"{coordinator.Host}:{coordinator.Port}";
        if (error != KafkaErrorCodes.None)
        {
            return (group, new GroupDescription(group, GroupState.Unknown, [])
            {
                Type = Type,
                PartitionAssignor = assignor,
                Coordinator = address,
                CoordinatorId = coordinator.Id,
                Error = $"{KafkaErrorCodes.Name(error)}{(string.IsNullOrEmpty(message) ? "" : $" ({message})")} (asked {coordinator})",
            });
        }
        return (group, new GroupDescription(group, WireGroupLister.StateName(state), members)
        {
            Type = Type,
            PartitionAssignor = string.IsNullOrEmpty(assignor) ? null : assignor,
            Coordinator = address,
            CoordinatorId = coordinator.Id,
        });
    }

    /// <summary>The assignment struct of ConsumerGroupDescribe and ShareGroupDescribe: [topic id, topic name, [partition]].</summary>
    protected static List<TopicPartition> ReadTopicPartitions(WireReader reader)
    {
        var result = new List<TopicPartition>();
        var topics = reader.CompactArrayLength();
        for (var t = 0; t < topics; t++)
        {
            reader.SkipUuid();
            var topic = reader.CompactString();
            var partitions = reader.CompactArrayLength();
            for (var p = 0; p < partitions; p++)
            {
                result.Add(new TopicPartition(topic, reader.Int32()));
            }
            reader.SkipTaggedFields();
        }
        return result;
    }

    protected static void SkipStrings(WireReader reader)
    {
        var count = reader.CompactArrayLength();
        for (var i = 0; i < count; i++)
        {
            reader.CompactString();
        }
    }
}
