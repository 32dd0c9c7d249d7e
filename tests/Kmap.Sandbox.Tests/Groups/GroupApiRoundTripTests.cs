using CsCheck;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>
/// write → read → write gives identical bytes for every request and response of the group APIs at every
/// served version. Fields a version lacks are dropped by the first write, so re-encoded bytes are compared.
/// </summary>
public class GroupApiRoundTripTests
{
    // No lone surrogates: they cannot survive UTF-8, and the survival check compares decoded strings.
    private static readonly Gen<string> Str = Gen.Char.Where(c => !char.IsSurrogate(c)).Array[0, 16].Select(chars => new string(chars));
    private static readonly Gen<string?> NullStr = Str.Null();
    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 24];
    private static readonly Gen<ErrorCode> Error = Gen.Short.Select(s => (ErrorCode)s);

    /// <param name="requestAtMax">Blanks the request fields the highest version lacks, so that the decoded message must equal it.</param>
    /// <param name="responseAtMax">The same for the response.</param>
    private static void RoundTrip<TRequest, TResponse>(ApiHandler<TRequest, TResponse> api, Gen<TRequest> requests, Gen<TResponse> responses,
        Func<TRequest, TRequest>? requestAtMax = null, Func<TResponse, TResponse>? responseAtMax = null)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        var versions = Gen.Short[api.MinVersion, api.MaxVersion];
        Gen.Select(requests, versions).Sample((message, version) => AssertRoundTrips(message, version, api.FirstFlexibleVersion));
        Gen.Select(responses, versions).Sample((message, version) => AssertRoundTrips(message, version, api.FirstFlexibleVersion));
        // Byte equality alone cannot see a field that is written wrongly in both directions or dropped;
        // at the highest version every field the message still has must survive unchanged.
        requests.Sample(message => AssertSurvives(requestAtMax is null ? message : requestAtMax(message), api.MaxVersion, api.FirstFlexibleVersion));
        responses.Sample(message => AssertSurvives(responseAtMax is null ? message : responseAtMax(message), api.MaxVersion, api.FirstFlexibleVersion));
    }

    private static void AssertSurvives<T>(T message, short version, short firstFlexible) where T : IKafkaMessage<T>
    {
        var flexible = version >= firstFlexible;
        var writer = new KafkaWriter(flexible);
        message.Write(writer, version);
        var decoded = T.Read(new KafkaReader(writer.ToArray(), flexible), version);
        Assert.Equal(Json(message), Json(decoded));
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, JsonOptions);

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        // Strings are compared after a UTF-8 round trip: lone surrogates become U+FFFD on the wire.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static void AssertRoundTrips<T>(T message, short version, short firstFlexible) where T : IKafkaMessage<T>
    {
        var flexible = version >= firstFlexible;
        var first = new KafkaWriter(flexible);
        message.Write(first, version);
        var bytes = first.ToArray();
        var reader = new KafkaReader(bytes, flexible);
        var decoded = T.Read(reader, version);
        Assert.Equal(0, reader.Remaining);
        var second = new KafkaWriter(flexible);
        decoded.Write(second, version);
        Assert.Equal(bytes, second.ToArray());
    }

    [Fact]
    public void FindCoordinator_round_trips() => RoundTrip(new FindCoordinatorHandler(),
        Gen.Select(Str, Gen.SByte, Str.List[0, 4]).Select((k, t, keys) => new FindCoordinatorRequest(k, t, keys)),
        Gen.Select(Gen.Int, Error, NullStr, Gen.Int, Str, Gen.Int,
                Gen.Select(Str, Gen.Int, Str, Gen.Int, Error, NullStr).Select((k, n, h, p, e, m) => new FindCoordinatorResponseCoordinator(k, n, h, p, e, m)).List[0, 3])
            .Select((t, e, m, n, h, p, c) => new FindCoordinatorResponse(t, e, m, n, h, p, c)),
        r => r with { Key = "" },
        r => r with { ErrorCode = ErrorCode.None, ErrorMessage = null, NodeId = -1, Host = "", Port = -1 });

    [Fact]
    public void JoinGroup_round_trips() => RoundTrip(new JoinGroupHandler(),
        Gen.Select(Str, Gen.Int, Gen.Int, Str, NullStr, Str,
                Gen.Select(Str, Bytes).Select((n, m) => new JoinGroupRequestProtocol(n, m)).List[0, 3], NullStr)
            .Select((g, s, r, m, i, t, p, reason) => new JoinGroupRequest(g, s, r, m, i, t, p, reason)),
        Gen.Select(Gen.Int, Error, Gen.Int, NullStr, NullStr, Str, Gen.Bool,
                Gen.Select(Str, Gen.Select(NullStr, Bytes, Str).List[0, 3]))
            .Select((t, e, g, pt, pn, l, skip, rest) => new JoinGroupResponse(t, e, g, pt, pn, l, skip, rest.Item1,
                rest.Item2.Select(x => new JoinGroupResponseMember(x.Item3, x.Item1, x.Item2)).ToList())));

    [Fact]
    public void SyncGroup_round_trips() => RoundTrip(new SyncGroupHandler(),
        Gen.Select(Str, Gen.Int, Str, NullStr, NullStr, NullStr, Gen.Select(Str, Bytes).Select((m, a) => new SyncGroupRequestAssignment(m, a)).List[0, 3])
            .Select((g, gen, m, i, pt, pn, a) => new SyncGroupRequest(g, gen, m, i, pt, pn, a)),
        Gen.Select(Gen.Int, Error, NullStr, NullStr, Bytes).Select((t, e, pt, pn, a) => new SyncGroupResponse(t, e, pt, pn, a)));

    [Fact]
    public void Heartbeat_round_trips() => RoundTrip(new HeartbeatHandler(),
        Gen.Select(Str, Gen.Int, Str, NullStr).Select((g, gen, m, i) => new HeartbeatRequest(g, gen, m, i)),
        Gen.Select(Gen.Int, Error).Select((t, e) => new HeartbeatResponse(t, e)));

    [Fact]
    public void LeaveGroup_round_trips() => RoundTrip(new LeaveGroupHandler(),
        Gen.Select(Str, Str, Gen.Select(Str, NullStr, NullStr).Select((m, i, r) => new LeaveGroupRequestMember(m, i, r)).List[0, 3])
            .Select((g, m, members) => new LeaveGroupRequest(g, m, members)),
        Gen.Select(Gen.Int, Error, Gen.Select(Str, NullStr, Error).Select((m, i, e) => new LeaveGroupResponseMember(m, i, e)).List[0, 3])
            .Select((t, e, members) => new LeaveGroupResponse(t, e, members)),
        r => r with { MemberId = "" });

    [Fact]
    public void OffsetCommit_round_trips() => RoundTrip(new OffsetCommitHandler(),
        Gen.Select(Str, Gen.Int, Str, NullStr, Gen.Long,
                Gen.Select(Str, Gen.Select(Gen.Int, Gen.Long, Gen.Int, Gen.Long, NullStr)
                    .Select((p, o, e, ts, m) => new OffsetCommitRequestPartition(p, o, e, ts, m)).List[0, 3])
                    .Select((n, p) => new OffsetCommitRequestTopic(n, p)).List[0, 3])
            .Select((g, gen, m, i, r, t) => new OffsetCommitRequest(g, gen, m, i, r, t)),
        Gen.Select(Gen.Int, Gen.Select(Str, Gen.Select(Gen.Int, Error).Select((p, e) => new OffsetCommitResponsePartition(p, e)).List[0, 3])
                .Select((n, p) => new OffsetCommitResponseTopic(n, p)).List[0, 3])
            .Select((t, topics) => new OffsetCommitResponse(t, topics)),
        r => r with { RetentionTimeMs = -1, Topics = r.Topics.Select(t => t with { Partitions = t.Partitions.Select(p => p with { CommitTimestamp = -1 }).ToList() }).ToList() });

    private static readonly Gen<List<OffsetFetchRequestTopic>?> FetchTopics =
        Gen.Select(Str, Gen.Int.List[0, 4]).Select((n, p) => new OffsetFetchRequestTopic(n, p)).List[0, 3].Null();

    private static readonly Gen<List<OffsetFetchResponseTopic>> FetchedTopics =
        Gen.Select(Str, Gen.Select(Gen.Int, Gen.Long, Gen.Int, NullStr, Error)
                .Select((p, o, e, m, err) => new OffsetFetchResponsePartition(p, o, e, m, err)).List[0, 3])
            .Select((n, p) => new OffsetFetchResponseTopic(n, p)).List[0, 3];

    [Fact]
    public void OffsetFetch_round_trips() => RoundTrip(new OffsetFetchHandler(),
        Gen.Select(Str, FetchTopics, Gen.Select(Str, NullStr, Gen.Int, FetchTopics).Select((g, m, e, t) => new OffsetFetchRequestGroup(g, m, e, t)).List[0, 3], Gen.Bool)
            .Select((g, t, groups, stable) => new OffsetFetchRequest(g, t, groups, stable)),
        Gen.Select(Gen.Int, FetchedTopics, Error, Gen.Select(Str, FetchedTopics, Error).Select((g, t, e) => new OffsetFetchResponseGroup(g, t, e)).List[0, 3])
            .Select((t, topics, e, groups) => new OffsetFetchResponse(t, topics, e, groups)),
        r => r with { GroupId = "", Topics = null },
        r => r with { Topics = [], ErrorCode = ErrorCode.None });

    [Fact]
    public void OffsetDelete_round_trips() => RoundTrip(new OffsetDeleteHandler(),
        Gen.Select(Str, Gen.Select(Str, Gen.Int.List[0, 4]).Select((n, p) => new OffsetDeleteRequestTopic(n, p)).List[0, 3])
            .Select((g, t) => new OffsetDeleteRequest(g, t)),
        Gen.Select(Error, Gen.Int, Gen.Select(Str, Gen.Select(Gen.Int, Error).Select((p, e) => new OffsetDeleteResponsePartition(p, e)).List[0, 3])
                .Select((n, p) => new OffsetDeleteResponseTopic(n, p)).List[0, 3])
            .Select((e, t, topics) => new OffsetDeleteResponse(e, t, topics)));

    [Fact]
    public void ListGroups_round_trips() => RoundTrip(new ListGroupsHandler(),
        Gen.Select(Str.List[0, 3], Str.List[0, 3]).Select((s, t) => new ListGroupsRequest(s, t)),
        Gen.Select(Gen.Int, Error, Gen.Select(Str, Str, Str, Str).Select((g, p, s, t) => new ListedGroup(g, p, s, t)).List[0, 3])
            .Select((t, e, groups) => new ListGroupsResponse(t, e, groups)));

    [Fact]
    public void DescribeGroups_round_trips() => RoundTrip(new DescribeGroupsHandler(),
        Gen.Select(Str.List[0, 3], Gen.Bool).Select((g, ops) => new DescribeGroupsRequest(g, ops)),
        Gen.Select(Gen.Int, Gen.Select(Error, NullStr, Str, Str, Str, Str,
                    Gen.Select(Str, NullStr, Str, Str, Bytes, Bytes).Select((m, i, c, h, md, a) => new DescribedGroupMember(m, i, c, h, md, a)).List[0, 3], Gen.Int)
                .Select((e, msg, g, s, pt, pd, m, ops) => new DescribedGroup(e, msg, g, s, pt, pd, m, ops)).List[0, 3])
            .Select((t, groups) => new DescribeGroupsResponse(t, groups)));

    [Fact]
    public void DeleteGroups_round_trips() => RoundTrip(new DeleteGroupsHandler(),
        Str.List[0, 3].Select(g => new DeleteGroupsRequest(g)),
        Gen.Select(Gen.Int, Gen.Select(Str, Error).Select((g, e) => new DeletableGroupResult(g, e)).List[0, 3])
            .Select((t, r) => new DeleteGroupsResponse(t, r)));

    // ---------------------------------------------------------------- Kafka 4 group APIs

    private static readonly Gen<HeartbeatTopicPartitions> HeartbeatTopics =
        Gen.Select(Gen.Guid, Gen.Int.List[0, 4]).Select((id, p) => new HeartbeatTopicPartitions(id, p));
    private static readonly Gen<DescribedTopicPartitions> DescribedTopics =
        Gen.Select(Gen.Guid, Str, Gen.Int.List[0, 4]).Select((id, n, p) => new DescribedTopicPartitions(id, n, p));
    private static readonly Gen<ConsumerGroupDescribeRequest> DescribeRequests =
        Gen.Select(Str.List[0, 3], Gen.Bool).Select((g, ops) => new ConsumerGroupDescribeRequest(g, ops));

    [Fact]
    public void ConsumerGroupHeartbeat_round_trips() => RoundTrip(new ConsumerGroupHeartbeatHandler(),
        Gen.Select(Gen.Select(Str, Str, Gen.Int, NullStr, NullStr, Gen.Int), Str.List[0, 3].Null(), NullStr, NullStr, HeartbeatTopics.List[0, 3].Null())
            .Select((a, topics, regex, assignor, owned) => new ConsumerGroupHeartbeatRequest(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, topics, regex, assignor, owned)),
        Gen.Select(Gen.Int, Error, NullStr, NullStr, Gen.Int, Gen.Int, HeartbeatTopics.List[0, 3].Null())
            .Select((t, e, m, id, epoch, interval, a) => new ConsumerGroupHeartbeatResponse(t, e, m, id, epoch, interval, a)));

    [Fact]
    public void ConsumerGroupDescribe_round_trips() => RoundTrip(new ConsumerGroupDescribeHandler(),
        DescribeRequests,
        Gen.Select(Gen.Int, Gen.Select(Gen.Select(Error, NullStr, Str, Str, Gen.Int, Gen.Int, Str),
                Gen.Select(Gen.Select(Str, NullStr, NullStr, Gen.Int, Str, Str), Str.List[0, 2], NullStr, DescribedTopics.List[0, 2], DescribedTopics.List[0, 2], Gen.SByte)
                    .Select((a, topics, regex, assignment, target, type) => new ConsumerGroupDescribeMember(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, topics, regex, assignment, target, type)).List[0, 2],
                Gen.Int)
            .Select((a, members, ops) => new ConsumerGroupDescribeGroup(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, members, ops)).List[0, 2])
            .Select((t, g) => new ConsumerGroupDescribeResponse(t, g)));

    [Fact]
    public void ShareGroupDescribe_round_trips() => RoundTrip(new ShareGroupDescribeHandler(),
        DescribeRequests,
        Gen.Select(Gen.Int, Gen.Select(Gen.Select(Error, NullStr, Str, Str, Gen.Int, Gen.Int, Str),
                Gen.Select(Str, NullStr, Gen.Int, Str, Str, Str.List[0, 2], DescribedTopics.List[0, 2])
                    .Select((id, rack, epoch, client, host, topics, assignment) => new ShareGroupDescribeMember(id, rack, epoch, client, host, topics, assignment)).List[0, 2],
                Gen.Int)
            .Select((a, members, ops) => new ShareGroupDescribeGroup(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7, members, ops)).List[0, 2])
            .Select((t, g) => new ShareGroupDescribeResponse(t, g)));

    private static readonly Gen<StreamsTaskIds> Tasks = Gen.Select(Str, Gen.Int.List[0, 3]).Select((id, p) => new StreamsTaskIds(id, p));

    [Fact]
    public void StreamsGroupDescribe_round_trips() => RoundTrip(new StreamsGroupDescribeHandler(),
        DescribeRequests,
        Gen.Select(Gen.Int, Gen.Select(Gen.Select(Error, NullStr, Str, Str, Gen.Int, Gen.Int, Gen.Select(Gen.Bool, Gen.Int).Select((has, e) => has ? e : (int?)null)),
                Gen.Select(Str, Str.List[0, 2]).Select((id, sources) => new StreamsSubtopology(id, sources)).List[0, 2],
                Gen.Select(Gen.Select(Str, Gen.Int, NullStr, NullStr, Str, Str), Gen.Int, Str, Tasks.List[0, 2], Tasks.List[0, 2])
                    .Select((a, topologyEpoch, process, active, target) => new StreamsGroupDescribeMember(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, topologyEpoch, process, active, target)).List[0, 2],
                Gen.Int)
            // Without a topology there are no subtopologies on the wire.
            .Select((a, subtopologies, members, ops) => new StreamsGroupDescribeGroup(a.Item1, a.Item2, a.Item3, a.Item4, a.Item5, a.Item6, a.Item7,
                a.Item7 is null ? [] : subtopologies, members, ops)).List[0, 2])
            .Select((t, g) => new StreamsGroupDescribeResponse(t, g)));

    [Fact]
    public void DescribeShareGroupOffsets_round_trips() => RoundTrip(new DescribeShareGroupOffsetsHandler(),
        Gen.Select(Str, Gen.Select(Str, Gen.Int.List[0, 3]).Select((n, p) => new DescribeShareGroupOffsetsRequestTopic(n, p)).List[0, 2].Null())
            .Select((g, t) => new DescribeShareGroupOffsetsRequestGroup(g, t)).List[0, 2].Select(g => new DescribeShareGroupOffsetsRequest(g)),
        Gen.Select(Gen.Int, Gen.Select(Str,
                Gen.Select(Str, Gen.Guid, Gen.Select(Gen.Int, Gen.Long, Gen.Int, Error, NullStr)
                        .Select((p, start, epoch, e, m) => new DescribeShareGroupOffsetsPartition(p, start, epoch, -1, e, m)).List[0, 2])
                    .Select((n, id, p) => new DescribeShareGroupOffsetsTopic(n, id, p)).List[0, 2],
                Error, NullStr).Select((g, t, e, m) => new DescribeShareGroupOffsetsGroup(g, t, e, m)).List[0, 2])
            .Select((t, g) => new DescribeShareGroupOffsetsResponse(t, g)));

    [Fact]
    public void AlterShareGroupOffsets_round_trips() => RoundTrip(new AlterShareGroupOffsetsHandler(),
        Gen.Select(Str, Gen.Select(Str, Gen.Select(Gen.Int, Gen.Long).Select((p, o) => new AlterShareGroupOffsetsRequestPartition(p, o)).List[0, 3])
            .Select((n, p) => new AlterShareGroupOffsetsRequestTopic(n, p)).List[0, 2]).Select((g, t) => new AlterShareGroupOffsetsRequest(g, t)),
        Gen.Select(Gen.Int, Error, NullStr, Gen.Select(Str, Gen.Guid, Gen.Select(Gen.Int, Error, NullStr)
                .Select((p, e, m) => new AlterShareGroupOffsetsResponsePartition(p, e, m)).List[0, 2]).Select((n, id, p) => new AlterShareGroupOffsetsResponseTopic(n, id, p)).List[0, 2])
            .Select((t, e, m, topics) => new AlterShareGroupOffsetsResponse(t, e, m, topics)));
}
