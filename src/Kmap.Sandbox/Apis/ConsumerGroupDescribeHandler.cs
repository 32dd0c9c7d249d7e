using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>ConsumerGroupDescribe v0–1 (flexible from v0; v1 adds each member's type). ShareGroupDescribe and StreamsGroupDescribe share this request shape.</summary>
public sealed record ConsumerGroupDescribeRequest(IReadOnlyList<string> GroupIds, bool IncludeAuthorizedOperations) : IKafkaMessage<ConsumerGroupDescribeRequest>
{
    public static ConsumerGroupDescribeRequest Read(KafkaReader reader, short version)
    {
        var groups = reader.Array(r => r.String());
        var includeOps = reader.Bool();
        reader.TaggedFields();
        return new ConsumerGroupDescribeRequest(groups, includeOps);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(GroupIds.ToList(), (w, g) => w.String(g));
        writer.Bool(IncludeAuthorizedOperations);
        writer.TaggedFields();
    }
}

public sealed record ConsumerGroupDescribeMember(
    string MemberId,
    string? InstanceId,
    string? RackId,
    int MemberEpoch,
    string ClientId,
    string ClientHost,
    IReadOnlyList<string> SubscribedTopicNames,
    string? SubscribedTopicRegex,
    IReadOnlyList<DescribedTopicPartitions> Assignment,
    IReadOnlyList<DescribedTopicPartitions> TargetAssignment,
    sbyte MemberType);

public sealed record ConsumerGroupDescribeGroup(
    ErrorCode ErrorCode,
    string? ErrorMessage,
    string GroupId,
    string GroupState,
    int GroupEpoch,
    int AssignmentEpoch,
    string AssignorName,
    IReadOnlyList<ConsumerGroupDescribeMember> Members,
    int AuthorizedOperations);

public sealed record ConsumerGroupDescribeResponse(int ThrottleTimeMs, IReadOnlyList<ConsumerGroupDescribeGroup> Groups) : IKafkaMessage<ConsumerGroupDescribeResponse>
{
    private static List<DescribedTopicPartitions> ReadAssignment(KafkaReader r)
    {
        var topics = r.Array(DescribedTopicPartitions.Read);
        r.TaggedFields();
        return topics;
    }

    private static void WriteAssignment(KafkaWriter w, IReadOnlyList<DescribedTopicPartitions> topics)
    {
        w.Array(topics.ToList(), (x, t) => t.Write(x));
        w.TaggedFields();
    }

    public static ConsumerGroupDescribeResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var groups = reader.Array(r =>
        {
            var error = (ErrorCode)r.Int16();
            var message = r.NullableString();
            var groupId = r.String();
            var state = r.String();
            var epoch = r.Int32();
            var assignmentEpoch = r.Int32();
            var assignor = r.String();
            var members = r.Array(m =>
            {
                var member = new ConsumerGroupDescribeMember(m.String(), m.NullableString(), m.NullableString(), m.Int32(), m.String(), m.String(),
                    m.Array(x => x.String()), m.NullableString(), ReadAssignment(m), ReadAssignment(m), version >= 1 ? m.Int8() : (sbyte)-1);
                m.TaggedFields();
                return member;
            });
            var ops = r.Int32();
            r.TaggedFields();
            return new ConsumerGroupDescribeGroup(error, message, groupId, state, epoch, assignmentEpoch, assignor, members, ops);
        });
        reader.TaggedFields();
        return new ConsumerGroupDescribeResponse(throttle, groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Groups.ToList(), (w, g) =>
        {
            w.Int16((short)g.ErrorCode);
            w.NullableString(g.ErrorMessage);
            w.String(g.GroupId);
            w.String(g.GroupState);
            w.Int32(g.GroupEpoch);
            w.Int32(g.AssignmentEpoch);
            w.String(g.AssignorName);
            w.Array(g.Members.ToList(), (mw, m) =>
            {
                mw.String(m.MemberId);
                mw.NullableString(m.InstanceId);
                mw.NullableString(m.RackId);
                mw.Int32(m.MemberEpoch);
                mw.String(m.ClientId);
                mw.String(m.ClientHost);
                mw.Array(m.SubscribedTopicNames.ToList(), (x, t) => x.String(t));
                mw.NullableString(m.SubscribedTopicRegex);
                WriteAssignment(mw, m.Assignment);
                WriteAssignment(mw, m.TargetAssignment);
                if (version >= 1)
                {
                    mw.Int8(m.MemberType);
                }
                mw.TaggedFields();
            });
            w.Int32(g.AuthorizedOperations);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Describes consumer (KIP-848) groups. As in Kafka: an absent group is GROUP_ID_NOT_FOUND "Group X not found.",
/// a group of another type (classic included) GROUP_ID_NOT_FOUND "Group X is not a consumer group.".
/// Members are all of type consumer (1): the sandbox has no classic members in consumer groups.
/// </summary>
public sealed class ConsumerGroupDescribeHandler : ApiHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse>
{
    public override ApiKey Key => ApiKey.ConsumerGroupDescribe;
    public override short MinVersion => 0;
    public override short MaxVersion => 1;
    public override short FirstFlexibleVersion => 0;

    protected override ValueTask<ConsumerGroupDescribeResponse?> HandleAsync(RequestContext context, ConsumerGroupDescribeRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var described = new List<ConsumerGroupDescribeGroup>(request.GroupIds.Count);
        lock (cluster.Sync)
        {
            foreach (var groupId in request.GroupIds)
            {
                ConsumerGroupDescribeGroup Failed(ErrorCodeAndMessage e) => new(e.Code, e.Message, groupId, "", 0, 0, "", [], int.MinValue);
                var error = cluster.Groups.FindForDescribe(context.Broker, groupId, GroupType.Consumer, out var group);
                if (group is null)
                {
                    described.Add(Failed(error));
                    continue;
                }
                var modern = group.Modern!;
                var members = modern.Members.Values.Select(m => new ConsumerGroupDescribeMember(m.MemberId, m.InstanceId, m.RackId, m.MemberEpoch,
                    m.ClientId, m.ClientHost, m.SubscribedTopicNames, m.SubscribedTopicRegex,
                    DescribedTopicPartitions.From(cluster, m.Assigned), DescribedTopicPartitions.From(cluster, modern.TargetOf(m.MemberId)), 1)).ToList();
                described.Add(new ConsumerGroupDescribeGroup(ErrorCode.None, null, groupId, modern.StateName(), modern.GroupEpoch, modern.AssignmentEpoch,
                    modern.AssignorName, members, request.IncludeAuthorizedOperations ? DescribedTopicPartitions.AllGroupOperations : int.MinValue));
            }
        }
        return ValueTask.FromResult<ConsumerGroupDescribeResponse?>(new ConsumerGroupDescribeResponse(0, described));
    }
}
