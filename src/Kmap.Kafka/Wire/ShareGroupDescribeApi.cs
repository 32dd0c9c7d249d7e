using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// ShareGroupDescribe (API 77): KIP-932 share groups. Version 0 was Kafka 4.0's early access, version 1 is
/// Kafka 4.1's; both have the same fields.
/// </summary>
internal sealed class ShareGroupDescribeApi : GroupDescribeApi
{
    public override short Key => 77;

    public override string Type => GroupType.Share;

    public override short Version(short brokerMax) => Math.Min((short)1, brokerMax);

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
            var assignor = reader.CompactString();
            var memberCount = reader.CompactArrayLength();
            var members = new List<GroupMember>(Math.Max(0, memberCount));
            for (var m = 0; m < memberCount; m++)
            {
                var memberId = reader.CompactString();
                reader.CompactNullableString(); // rack
                reader.Int32(); // member epoch
                var clientId = reader.CompactString();
                var host = reader.CompactString();
                SkipStrings(reader); // subscribed topic names
                var assignment = ReadTopicPartitions(reader);
                reader.SkipTaggedFields(); // end of the assignment struct
                reader.SkipTaggedFields();
                members.Add(new GroupMember(memberId, clientId, host, assignment));
            }
            reader.Int32(); // authorized operations
            reader.SkipTaggedFields();
            if (!KafkaErrorCodes.IsRetriable(error))
            {
                result.Add(Answer(group, error, message, state, members, assignor, coordinator));
            }
        }
        reader.SkipTaggedFields();
        return result;
    }
}
