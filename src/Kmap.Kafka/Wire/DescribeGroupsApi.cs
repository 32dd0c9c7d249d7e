using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// DescribeGroups (API 15) v5, or v6 where the broker has it (Kafka 4: a group of another type is GROUP_ID_NOT_FOUND
/// there, where v5 calls it Dead): classic groups, their members and the consumer protocol's assignments.
/// </summary>
internal sealed class DescribeGroupsApi : GroupDescribeApi
{
    public override short Key => 15;

    public override string Type => GroupType.Classic;

    public override short Version(short brokerMax) => brokerMax >= 5 ? Math.Min((short)6, brokerMax) : (short)-1;

    /// <summary>
    /// Decodes a DescribeGroups v5/v6 response; groups with a retriable error are left out (still pending), and a
    /// group the broker does not know as a classic group (GROUP_ID_NOT_FOUND: Kafka 4's v6 answer for a group of
    /// another type) has a null description.
    /// </summary>
    public override List<(string Group, GroupDescription? Description)> ReadResponse(WireReader reader, WireBroker coordinator, short version)
    {
        reader.Int32(); // throttle
        var count = reader.CompactArrayLength();
        var result = new List<(string, GroupDescription?)>(Math.Max(0, count));
        var topicNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var error = reader.Int16();
            var message = version >= 6 ? reader.CompactNullableString() : null;
            var group = reader.CompactString();
            var state = reader.CompactString();
            var protocolType = reader.CompactString();
            var protocolData = reader.CompactString();
            var memberCount = reader.CompactArrayLength();
            var members = new List<GroupMember>(Math.Max(0, memberCount));
            for (var m = 0; m < memberCount; m++)
            {
                var memberId = reader.CompactString();
                var instanceId = reader.CompactNullableString();
                var clientId = reader.CompactString();
                var host = reader.CompactString();
                reader.SkipCompactBytes(); // member metadata (the subscription)
                var assignment = reader.CompactBytes();
                reader.SkipTaggedFields();
                // As librdkafka: only the consumer protocol's assignment is decoded; other protocols' bytes mean nothing here.
                var assigned = protocolType == "consumer" && assignment is { Length: > 0 } ? ConsumerAssignment(assignment, topicNames) : [];
                members.Add(new GroupMember(memberId, clientId, host, assigned) { GroupInstanceId = instanceId });
            }
            reader.Int32(); // authorized operations
            reader.SkipTaggedFields();
            if (KafkaErrorCodes.IsRetriable(error))
            {
                continue;
            }
            result.Add(Answer(group, error, message, state, members, protocolData, coordinator));
        }
        reader.SkipTaggedFields();
        return result;
    }

    /// <summary>The consumer protocol's assignment (version, [topic [partition]], user data; not flexible in any version).</summary>
    private static List<TopicPartition> ConsumerAssignment(byte[] bytes, Dictionary<string, string> topicNames)
    {
        try
        {
            var reader = new WireReader(bytes);
            reader.Int16(); // version
            var topics = reader.ArrayLength();
            var result = new List<TopicPartition>();
            for (var t = 0; t < topics; t++)
            {
                var decoded = reader.NullableString16() ?? "";
                if (!topicNames.TryGetValue(decoded, out var topic))
                {
                    topicNames[decoded] = topic = decoded;
                }
                var partitions = reader.ArrayLength();
                for (var p = 0; p < partitions; p++)
                {
                    result.Add(new TopicPartition(topic, reader.Int32()));
                }
            }
            return result;
        }
        catch (FormatException)
        {
            // A member whose assignment is not the consumer protocol's shows no partitions rather than failing the map.
            return [];
        }
    }
}
