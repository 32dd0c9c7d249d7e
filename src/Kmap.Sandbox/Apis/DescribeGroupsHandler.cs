using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DescribeGroups v0–6 (throttle from v1, authorized operations from v3, group instance ids from v4, flexible from v5, error message from v6).</summary>
public sealed record DescribeGroupsRequest(IReadOnlyList<string> Groups, bool IncludeAuthorizedOperations) : IKafkaMessage<DescribeGroupsRequest>
{
    public static DescribeGroupsRequest Read(KafkaReader reader, short version)
    {
        var groups = reader.Array(r => r.String());
        var includeOps = version >= 3 && reader.Bool();
        reader.TaggedFields();
        return new DescribeGroupsRequest(groups, includeOps);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Groups.ToList(), (w, g) => w.String(g));
        if (version >= 3)
        {
            writer.Bool(IncludeAuthorizedOperations);
        }
        writer.TaggedFields();
    }
}

public sealed record DescribedGroupMember(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] MemberMetadata, byte[] MemberAssignment);

public sealed record DescribedGroup(
    ErrorCode ErrorCode,
    string? ErrorMessage,
    string GroupId,
    string GroupState,
    string ProtocolType,
    string ProtocolData,
    IReadOnlyList<DescribedGroupMember> Members,
    int AuthorizedOperations);

public sealed record DescribeGroupsResponse(int ThrottleTimeMs, IReadOnlyList<DescribedGroup> Groups) : IKafkaMessage<DescribeGroupsResponse>
{
    public static DescribeGroupsResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var groups = reader.Array(r =>
        {
            var error = (ErrorCode)r.Int16();
            var message = version >= 6 ? r.NullableString() : null;
            var groupId = r.String();
            var state = r.String();
            var protocolType = r.String();
            var protocolData = r.String();
            var members = r.Array(m =>
            {
                var memberId = m.String();
                var instanceId = version >= 4 ? m.NullableString() : null;
                var member = new DescribedGroupMember(memberId, instanceId, m.String(), m.String(), m.Bytes(), m.Bytes());
                m.TaggedFields();
                return member;
            });
            var ops = version >= 3 ? r.Int32() : int.MinValue;
            r.TaggedFields();
            return new DescribedGroup(error, message, groupId, state, protocolType, protocolData, members, ops);
        });
        reader.TaggedFields();
        return new DescribeGroupsResponse(throttle, groups);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Array(Groups.ToList(), (w, g) =>
        {
            w.Int16((short)g.ErrorCode);
            if (version >= 6)
            {
                w.NullableString(g.ErrorMessage);
            }
            w.String(g.GroupId);
            w.String(g.GroupState);
            w.String(g.ProtocolType);
            w.String(g.ProtocolData);
            w.Array(g.Members.ToList(), (mw, m) =>
            {
                mw.String(m.MemberId);
                if (version >= 4)
                {
                    mw.NullableString(m.GroupInstanceId);
                }
                mw.String(m.ClientId);
                mw.String(m.ClientHost);
                mw.Bytes(m.MemberMetadata);
                mw.Bytes(m.MemberAssignment);
                mw.TaggedFields();
            });
            if (version >= 3)
            {
                w.Int32(g.AuthorizedOperations);
            }
            w.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>
/// Describes classic groups as Kafka does: the protocol name and member metadata only while Stable; assignments
/// always; bytes exactly as the clients sent them. An unknown group, or a consumer, share or streams group, is
/// state "Dead" without error up to v5; from v6 it is GROUP_ID_NOT_FOUND with "Group X not found." or
/// "Group X is not a classic group." (GroupMetadataManager.describeGroups).
/// </summary>
public sealed class DescribeGroupsHandler : ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse>
{
    public override ApiKey Key => ApiKey.DescribeGroups;
    public override short MinVersion => 0;
    public override short MaxVersion => 6;
    public override short FirstFlexibleVersion => 5;

    protected override ValueTask<DescribeGroupsResponse?> HandleAsync(RequestContext context, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        var coordinator = context.Cluster.Groups;
        var described = new List<DescribedGroup>(request.Groups.Count);
        lock (context.Cluster.Sync)
        {
            foreach (var groupId in request.Groups)
            {
                var group = Describe(coordinator, context, groupId, context.Version);
                described.Add(request.IncludeAuthorizedOperations && group.ErrorCode == ErrorCode.None
                    ? group with { AuthorizedOperations = AllGroupOperations }
                    : group);
            }
        }
        return ValueTask.FromResult<DescribeGroupsResponse?>(new DescribeGroupsResponse(0, described));
    }

    /// <summary>
    /// Without an authorizer Kafka allows every group operation: READ (3), DELETE (6) and DESCRIBE (8), as a bit field.
    /// </summary>
    private const int AllGroupOperations = (1 << 3) | (1 << 6) | (1 << 8);

    private static DescribedGroup Describe(GroupCoordinator coordinator, RequestContext context, string groupId, short version)
    {
        // int.MinValue means "not requested"; HandleAsync fills the operations in when they are.
        if (!coordinator.IsCoordinator(context.Broker, groupId))
        {
            return new DescribedGroup(ErrorCode.NotCoordinator, null, groupId, "", "", "", [], int.MinValue);
        }
        var group = coordinator.Find(groupId);
        if (group is null || group.Type != GroupType.Classic)
        {
            var error = group is null ? ErrorCodeAndMessage.NotFound(groupId) : ErrorCodeAndMessage.WrongType(groupId, GroupType.Classic);
            return version >= 6
                ? new DescribedGroup(error.Code, error.Message, groupId, GroupState.Dead.WireName(), "", "", [], int.MinValue)
                : new DescribedGroup(ErrorCode.None, null, groupId, GroupState.Dead.WireName(), "", "", [], int.MinValue);
        }
        var stable = group.State == GroupState.Stable;
        var members = group.Members.Values
            .Select(m => new DescribedGroupMember(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                stable ? m.MetadataFor(group.ProtocolName ?? "") : [], m.Assignment))
            .ToList();
        return new DescribedGroup(ErrorCode.None, null, groupId, group.State.WireName(), group.ProtocolType ?? "",
            stable ? group.ProtocolName ?? "" : "", members, int.MinValue);
    }
}
