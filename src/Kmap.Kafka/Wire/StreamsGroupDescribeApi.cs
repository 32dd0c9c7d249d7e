using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// StreamsGroupDescribe (API 89, v0): KIP-1071 streams groups. A member is assigned tasks (subtopology, partition),
/// not topic partitions: its partitions here are those of the subtopology's source topics, as Kafka's
/// kafka-streams-groups.sh shows them.
/// </summary>
internal sealed class StreamsGroupDescribeApi : GroupDescribeApi
{
    public override short Key => 89;

    public override string Type => GroupType.Streams;

    public override short Version(short brokerMax) => brokerMax >= 0 ? (short)0 : (short)-1;

    public override List<(string Group, GroupDescription? Description)> ReadResponse(WireReader reader, WireBroker coordinator, short version)
    {
        reader.Int32(); // throttle
        var count = reader.CompactArrayLength();
        var result = new List<(string, GroupDescription?)>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            var error = reader.Int16();
            var message = reader.CompactNullableString();
            var group = reader.CompactString();
            var state = reader.CompactString();
            reader.Int32(); // group epoch
            reader.Int32(); // assignment epoch
            var sources = ReadTopology(reader);
            var memberCount = reader.CompactArrayLength();
            var members = new List<GroupMember>(Math.Max(0, memberCount));
            for (var m = 0; m < memberCount; m++)
            {
                var memberId = reader.CompactString();
                reader.Int32(); // member epoch
                var instanceId = reader.CompactNullableString();
                reader.CompactNullableString(); // rack
                var clientId = reader.CompactString();
                var host = reader.CompactString();
                reader.Int32(); // topology epoch
                reader.CompactString(); // process id
                if (reader.Int8() >= 0)
                {
                    // user endpoint (host, port)
                    reader.CompactString();
                    reader.UInt16();
                    reader.SkipTaggedFields();
                }
                SkipKeyValues(reader); // client tags
                SkipTaskOffsets(reader); // task offsets
                SkipTaskOffsets(reader); // task end offsets
                var assignment = ReadAssignment(reader, sources);
                ReadAssignment(reader, sources); // target assignment
                reader.Bool(); // is classic
                reader.SkipTaggedFields();
                members.Add(new GroupMember(memberId, clientId, host, assignment) { GroupInstanceId = instanceId });
            }
            reader.Int32(); // authorized operations
            reader.SkipTaggedFields();
            if (!KafkaErrorCodes.IsRetriable(error))
            {
                result.Add(Answer(group, error, message, state, members, null, coordinator));
            }
        }
        reader.SkipTaggedFields();
        return result;
    }

    /// <summary>The topology (a nullable struct): subtopology id → the topics it reads (source and repartition source topics).</summary>
    private static Dictionary<string, List<string>> ReadTopology(WireReader reader)
    {
        var sources = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (reader.Int8() < 0)
        {
            return sources;
        }
        reader.Int32(); // topology epoch
        var count = reader.CompactArrayLength(); // -1: null (not initialized)
        for (var s = 0; s < count; s++)
        {
            var id = reader.CompactString();
            var topics = new List<string>();
            var sourceCount = reader.CompactArrayLength();
            for (var t = 0; t < sourceCount; t++)
            {
                topics.Add(reader.CompactString());
            }
            SkipStrings(reader); // repartition sink topics
            SkipTopicInfos(reader); // state changelog topics
            var repartitionCount = reader.CompactArrayLength();
            for (var t = 0; t < repartitionCount; t++)
            {
                topics.Add(ReadTopicInfo(reader));
            }
            reader.SkipTaggedFields();
            sources[id] = topics;
        }
        reader.SkipTaggedFields();
        return sources;
    }

    private static void SkipTopicInfos(WireReader reader)
    {
        var count = reader.CompactArrayLength();
        for (var i = 0; i < count; i++)
        {
            ReadTopicInfo(reader);
        }
    }

    private static string ReadTopicInfo(WireReader reader)
    {
        var name = reader.CompactString();
        reader.Int32(); // partitions
        reader.Int16(); // replication factor
        SkipKeyValues(reader); // topic configs
        reader.SkipTaggedFields();
        return name;
    }

    private static void SkipKeyValues(WireReader reader)
    {
        var count = reader.CompactArrayLength();
        for (var i = 0; i < count; i++)
        {
            reader.CompactString();
            reader.CompactString();
            reader.SkipTaggedFields();
        }
    }

    private static void SkipTaskOffsets(WireReader reader)
    {
        var count = reader.CompactArrayLength();
        for (var i = 0; i < count; i++)
        {
            reader.CompactString(); // subtopology
            reader.Int32(); // partition
            reader.Int64(); // offset
            reader.SkipTaggedFields();
        }
    }

    /// <summary>An assignment (active, standby, warm-up tasks): the active tasks as partitions of their subtopology's topics.</summary>
    private static List<TopicPartition> ReadAssignment(WireReader reader, Dictionary<string, List<string>> sources)
    {
        var active = ReadTasks(reader, sources);
        ReadTasks(reader, sources); // standby
        ReadTasks(reader, sources); // warm-up
        reader.SkipTaggedFields();
        return active;
    }

    private static List<TopicPartition> ReadTasks(WireReader reader, Dictionary<string, List<string>> sources)
    {
        var result = new List<TopicPartition>();
        var count = reader.CompactArrayLength();
        for (var i = 0; i < count; i++)
        {
            var subtopology = reader.CompactString();
            var partitions = reader.CompactArrayLength();
            for (var p = 0; p < partitions; p++)
            {
                var partition = reader.Int32();
                foreach (var topic in sources.GetValueOrDefault(subtopology) ?? [])
                {
                    result.Add(new TopicPartition(topic, partition));
                }
            }
            reader.SkipTaggedFields();
        }
        return result;
    }
}
