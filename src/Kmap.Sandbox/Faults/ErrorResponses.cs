using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>
/// Builds an API's own error response from its request, the way each of Kafka's request classes does in
/// getErrorResponse: every group, topic or partition the request named carries the error. Only retriable
/// errors a real broker sends are offered: coordinator errors for group APIs, leader errors for partition APIs,
/// REQUEST_TIMED_OUT for all of them.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>APIs a group coordinator answers; they get NOT_COORDINATOR when the group moved.</summary>
    public static IReadOnlySet<ApiKey> CoordinatorApis { get; } = new HashSet<ApiKey>
    {
        ApiKey.OffsetCommit, ApiKey.OffsetFetch, ApiKey.JoinGroup, ApiKey.Heartbeat, ApiKey.LeaveGroup,
        ApiKey.SyncGroup, ApiKey.DescribeGroups, ApiKey.DeleteGroups, ApiKey.OffsetDelete,
    };

    /// <summary>APIs a partition leader answers.</summary>
    public static IReadOnlySet<ApiKey> PartitionApis { get; } = new HashSet<ApiKey> { ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets };

    /// <summary>Every API that can carry an injected error.</summary>
    public static IReadOnlySet<ApiKey> AnswerableApis { get; } =
        new HashSet<ApiKey>([.. CoordinatorApis, .. PartitionApis, ApiKey.FindCoordinator, ApiKey.ListGroups]);

    /// <summary>The errors a fault may inject, by the name Kafka's protocol docs use.</summary>
    public static IReadOnlyDictionary<string, ErrorCode> ByName { get; } = new Dictionary<string, ErrorCode>(StringComparer.OrdinalIgnoreCase)
    {
        ["NOT_COORDINATOR"] = ErrorCode.NotCoordinator,
        ["COORDINATOR_LOAD_IN_PROGRESS"] = ErrorCode.CoordinatorLoadInProgress,
        ["COORDINATOR_NOT_AVAILABLE"] = ErrorCode.CoordinatorNotAvailable,
        ["REQUEST_TIMED_OUT"] = ErrorCode.RequestTimedOut,
        ["NOT_LEADER_OR_FOLLOWER"] = ErrorCode.NotLeaderOrFollower,
        ["LEADER_NOT_AVAILABLE"] = ErrorCode.LeaderNotAvailable,
    };

    /// <summary>The APIs on which a broker would plausibly answer <paramref name="code"/>.</summary>
    public static IReadOnlySet<ApiKey> ApisThatAnswer(ErrorCode code) => code switch
    {
        ErrorCode.NotCoordinator or ErrorCode.CoordinatorLoadInProgress => CoordinatorApis,
        ErrorCode.CoordinatorNotAvailable => new HashSet<ApiKey>([.. CoordinatorApis, ApiKey.FindCoordinator, ApiKey.ListGroups]),
        ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable => PartitionApis,
        ErrorCode.RequestTimedOut => AnswerableApis,
        _ => new HashSet<ApiKey>(),
    };

    /// <summary>Reads the request in <paramref name="body"/> and writes its error response, or null when the API sends none (Produce with acks=0).</summary>
    public static KafkaWriter? Build(IApiHandler handler, short version, KafkaReader body, ErrorCode code)
    {
        var message = $"{Name(code)} injected by the sandbox's fault rules";
        switch (handler.Key)
        {
            case ApiKey.Produce:
                var produce = ProduceRequest.Read(body, version);
                if (produce.Acks == 0)
                {
                    return null;
                }
                return Write(handler, version, new ProduceResponse(
                    [.. produce.Topics.Select(t => new ProduceTopicResponse(t.Name, [.. t.Partitions.Select(p => ProducePartitionResponse.Failed(p.Index, code, message))]))], 0));
            case ApiKey.Fetch:
                var fetch = FetchRequest.Read(body, version);
                return Write(handler, version, new FetchResponse(0, ErrorCode.None, 0,
                    [.. fetch.Topics.Select(t => new FetchTopicResponse(t.Topic, t.TopicId, [.. t.Partitions.Select(p => FetchPartitionData.Failed(p.Partition, code))]))]));
            case ApiKey.ListOffsets:
                var list = ListOffsetsRequest.Read(body, version);
                return Write(handler, version, new ListOffsetsResponse(0,
                    [.. list.Topics.Select(t => new ListOffsetsTopicResponse(t.Name, [.. t.Partitions.Select(p => new ListOffsetsPartitionResponse(p.PartitionIndex, code, [], -1, -1, -1))]))]));
            case ApiKey.OffsetCommit:
                var commit = OffsetCommitRequest.Read(body, version);
                return Write(handler, version, new OffsetCommitResponse(0,
                    [.. commit.Topics.Select(t => new OffsetCommitResponseTopic(t.Name, [.. t.Partitions.Select(p => new OffsetCommitResponsePartition(p.PartitionIndex, code))]))]));
            case ApiKey.OffsetFetch:
                return Write(handler, version, OffsetFetchError(OffsetFetchRequest.Read(body, version), version, code));
            case ApiKey.FindCoordinator:
                var find = FindCoordinatorRequest.Read(body, version);
                return Write(handler, version, version >= 4
                    ? new FindCoordinatorResponse(0, ErrorCode.None, null, -1, "", -1, [.. find.CoordinatorKeys.Select(k => new FindCoordinatorResponseCoordinator(k, -1, "", -1, code, message))])
                    : new FindCoordinatorResponse(0, code, message, -1, "", -1, []));
            case ApiKey.JoinGroup:
                var join = JoinGroupRequest.Read(body, version);
                return Write(handler, version, new JoinGroupResponse(0, code, -1, null, null, "", false, join.MemberId, []));
            case ApiKey.Heartbeat:
                _ = HeartbeatRequest.Read(body, version);
                return Write(handler, version, new HeartbeatResponse(0, code));
            case ApiKey.LeaveGroup:
                _ = LeaveGroupRequest.Read(body, version);
                return Write(handler, version, new LeaveGroupResponse(0, code, []));
            case ApiKey.SyncGroup:
                _ = SyncGroupRequest.Read(body, version);
                return Write(handler, version, new SyncGroupResponse(0, code, null, null, []));
            case ApiKey.DescribeGroups:
                var describe = DescribeGroupsRequest.Read(body, version);
                return Write(handler, version, new DescribeGroupsResponse(0, [.. describe.Groups.Select(g => new DescribedGroup(code, null, g, "", "", "", [], int.MinValue))]));
            case ApiKey.ListGroups:
                _ = ListGroupsRequest.Read(body, version);
                return Write(handler, version, new ListGroupsResponse(0, code, []));
            case ApiKey.DeleteGroups:
                var delete = DeleteGroupsRequest.Read(body, version);
                return Write(handler, version, new DeleteGroupsResponse(0, [.. delete.GroupsNames.Select(g => new DeletableGroupResult(g, code))]));
            case ApiKey.OffsetDelete:
                _ = OffsetDeleteRequest.Read(body, version);
                return Write(handler, version, new OffsetDeleteResponse(code, 0, []));
            default:
                throw new InvalidOperationException($"{handler.Key} has no error response shape for fault injection");
        }
    }

    /// <summary>Kafka's name of an error code, as the spec and logs spell it.</summary>
    public static string Name(ErrorCode code) => ByName.FirstOrDefault(e => e.Value == code).Key ?? code.ToString();

    private static OffsetFetchResponse OffsetFetchError(OffsetFetchRequest request, short version, ErrorCode code)
    {
        if (version >= 8)
        {
            return new OffsetFetchResponse(0, [], ErrorCode.None, [.. request.Groups.Select(g => new OffsetFetchResponseGroup(g.GroupId, [], code))]);
        }
        if (version >= 2)
        {
            // From v2 the group-level error has its own field; partitions are left out, as Kafka does.
            return new OffsetFetchResponse(0, [], code, []);
        }
        // v0 and v1 can only say it per partition.
        var topics = (request.Topics ?? []).Select(t =>
            new OffsetFetchResponseTopic(t.Name, [.. t.PartitionIndexes.Select(p => new OffsetFetchResponsePartition(p, -1, -1, "", code))]));
        return new OffsetFetchResponse(0, [.. topics], ErrorCode.None, []);
    }

    private static KafkaWriter Write<T>(IApiHandler handler, short version, T response) where T : IKafkaMessage<T>
    {
        var writer = new KafkaWriter(flexible: version >= handler.FirstFlexibleVersion);
        response.Write(writer, version);
        return writer;
    }
}
