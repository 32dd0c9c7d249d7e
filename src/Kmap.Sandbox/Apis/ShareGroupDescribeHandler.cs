using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

public sealed record ShareGroupDescribeMember(
    string MemberId,
    string? RackId,
    int MemberEpoch,
    string ClientId,
    string ClientHost,
    IReadOnlyList<string> SubscribedTopicNames,
    IReadOnlyList<DescribedTopicPartitions> Assignment);

public sealed record ShareGroupDescribeGroup(
    ErrorCode ErrorCode,
    string? ErrorMessage,
    string GroupId,
    string GroupState,
    int GroupEpoch,
    int AssignmentEpoch,
    string AssignorName,
    IReadOnlyList<ShareGroupDescribeMember> Members,
    int AuthorizedOperations);

/// <summary>ShareGroupDescribe v1 response (flexible; Kafka 4.1 serves only v1, the preview v0 is gone).</summary>
public sealed record ShareGroupDescribeResponse(int ThrottleTimeMs, IReadOnlyList<ShareGroupDescribeGroup> Groups) : IKafkaMessage<ShareGroupDescribeResponse>
{
    public static ShareGroupDescribeResponse Read(KafkaReader reader, short version)
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
                var memberId = m.String();
                var rack = m.NullableString();
                var memberEpoch = m.Int32();
                var clientId = m.String();
                var host = m.String();
                var topics = m.Array(x => x.String());
                var assignment = m.Array(DescribedTopicPartitions.Read);
                m.TaggedFields();
                m.TaggedFields();
                return new ShareGroupDescribeMember(memberId, rack, memberEpoch, clientId, host, topics, assignment);
            });
            var ops = r.Int32();
            r.TaggedFields();
            return new ShareGroupDescribeGroup(error, message, groupId, state, epoch, assignmentEpoch, assignor, members, ops);
        });
        reader.TaggedFields();
        return new ShareGroupDescribeResponse(throttle, groups);
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
                mw.NullableString(m.RackId);
                mw.Int32(m.MemberEpoch);
                mw.String(m.ClientId);
                mw.String(m.ClientHost);
                mw.Array(m.SubscribedTopicNames.ToList(), (x, t) => x.String(t));
                // Assignment is a struct: its topic list, then its own tagged fields.
                mw.Array(m.Assignment.ToList(), (x, t) => t.Write(x));
                mw.TaggedFields();
                mw.TaggedFields();
            });
            w.Int32(g.AuthorizedOperations);
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Describes share groups (KIP-932). An absent group is GROUP_ID_NOT_FOUND "Group X not found.", a group of
/// another type GROUP_ID_NOT_FOUND "Group X is not a share group.", as Kafka answers. States: Empty or Stable.
/// </summary>
public sealed class ShareGroupDescribeHandler : ApiHandler<ConsumerGroupDescribeRequest, ShareGroupDescribeResponse>
{
    public override ApiKey Key => ApiKey.ShareGroupDescribe;
    public override short MinVersion => 1;
    public override short MaxVersion => 1;
    public override short FirstFlexibleVersion => 0;

    protected override ValueTask<ShareGroupDescribeResponse?> HandleAsync(RequestContext context, ConsumerGroupDescribeRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var described = new List<ShareGroupDescribeGroup>(request.GroupIds.Count);
        lock (cluster.Sync)
        {
            foreach (var groupId in request.GroupIds)
            {
                ShareGroupDescribeGroup Failed(ErrorCodeAndMessage e) => new(e.Code, e.Message, groupId, "", 0, 0, "", [], int.MinValue);
                var error = cluster.Groups.FindForDescribe(context.Broker, groupId, GroupType.Share, out var group);
                if (group is null)
                {
                    described.Add(Failed(error));
                    continue;
                }
                var modern = group.Modern!;
                var members = modern.Members.Values.Select(m => new ShareGroupDescribeMember(m.MemberId, m.RackId, m.MemberEpoch,
                    m.ClientId, m.ClientHost, m.SubscribedTopicNames, DescribedTopicPartitions.From(cluster, m.Assigned))).ToList();
                described.Add(new ShareGroupDescribeGroup(ErrorCode.None, null, groupId, modern.StateName(), modern.GroupEpoch, modern.AssignmentEpoch,
                    "simple", members, request.IncludeAuthorizedOperations ? DescribedTopicPartitions.AllGroupOperations : int.MinValue));
            }
        }
        return ValueTask.FromResult<ShareGroupDescribeResponse?>(new ShareGroupDescribeResponse(0, described));
    }
}
