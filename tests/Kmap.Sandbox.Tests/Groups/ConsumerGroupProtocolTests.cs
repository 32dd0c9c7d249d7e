using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>The KIP-848 consumer group protocol over the raw wire: ConsumerGroupHeartbeat, ConsumerGroupDescribe and the member-epoch checks of OffsetCommit/OffsetFetch v9.</summary>
public class ConsumerGroupProtocolTests
{
    private static readonly ConsumerGroupHeartbeatHandler Heartbeat = new();
    private static readonly ConsumerGroupDescribeHandler Describe = new();

    private static SandboxOptions Options(int sessionTimeoutMs = 45_000) => new()
    {
        BrokerCount = 3,
        Groups = new GroupSettings { ConsumerSessionTimeoutMs = sessionTimeoutMs },
    };

    private static ConsumerGroupHeartbeatRequest Join(string groupId, string memberId, params string[] topics) =>
        new(groupId, memberId, 0, null, null, 30_000, topics, null, null, []);

    private static ConsumerGroupHeartbeatRequest Beat(string groupId, string memberId, int epoch, IReadOnlyList<HeartbeatTopicPartitions>? owned) =>
        new(groupId, memberId, epoch, null, null, -1, null, null, null, owned);

    private static int[] Partitions(ConsumerGroupHeartbeatResponse response) =>
        response.Assignment!.SelectMany(t => t.Partitions).Order().ToArray();

    private static Guid TopicId(SandboxCluster sandbox, string topic)
    {
        lock (sandbox.State.Sync)
        {
            return sandbox.State.Topics[topic].TopicId;
        }
    }

    [Fact]
    public async Task A_second_member_gets_partitions_only_after_the_first_revoked_them()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 4);
        var id = TopicId(sandbox, "events");
        await using var client = await ConnectToCoordinatorAsync(sandbox, "g848");

        var a = await client.SendAsync(Heartbeat, 1, Join("g848", "member-a", "events"));
        Assert.Equal(ErrorCode.None, a.ErrorCode);
        Assert.Equal("member-a", a.MemberId);
        Assert.Equal(1, a.MemberEpoch);
        Assert.Equal([0, 1, 2, 3], Partitions(a));
        Assert.Equal(id, a.Assignment!.Single().TopicId);

        // B joins: the group epoch advances to 2, but every partition is still A's, so B gets none yet.
        var b = await client.SendAsync(Heartbeat, 1, Join("g848", "member-b", "events"));
        Assert.Equal(2, b.MemberEpoch);
        Assert.Empty(Partitions(b));

        // A must give up two partitions and keeps epoch 1 until it says it did.
        var revoke = await client.SendAsync(Heartbeat, 1, Beat("g848", "member-a", 1, [new(id, [0, 1, 2, 3])]));
        Assert.Equal(1, revoke.MemberEpoch);
        Assert.Equal([0, 1], Partitions(revoke));
        var described = (await client.SendAsync(Describe, 1, new ConsumerGroupDescribeRequest(["g848"], false))).Groups.Single();
        Assert.Equal("Reconciling", described.GroupState);
        Assert.Equal(2, described.GroupEpoch);
        Assert.Equal(2, described.AssignmentEpoch);

        var moved = await client.SendAsync(Heartbeat, 1, Beat("g848", "member-a", 1, [new(id, [0, 1])]));
        Assert.Equal(2, moved.MemberEpoch);
        var freed = await client.SendAsync(Heartbeat, 1, Beat("g848", "member-b", 2, []));
        Assert.Equal([2, 3], Partitions(freed));

        // Nothing changed: no assignment in the answer.
        var quiet = await client.SendAsync(Heartbeat, 1, Beat("g848", "member-b", 2, [new(id, [2, 3])]));
        Assert.Null(quiet.Assignment);

        described = (await client.SendAsync(Describe, 1, new ConsumerGroupDescribeRequest(["g848"], true))).Groups.Single();
        Assert.Equal(ErrorCode.None, described.ErrorCode);
        Assert.Equal("Stable", described.GroupState);
        Assert.Equal("uniform", described.AssignorName);
        Assert.Equal(["member-a", "member-b"], described.Members.Select(m => m.MemberId));
        Assert.All(described.Members, m => Assert.Equal(2, m.MemberEpoch));
        Assert.All(described.Members, m => Assert.Equal((sbyte)1, m.MemberType));
        Assert.All(described.Members, m => Assert.Equal(["events"], m.SubscribedTopicNames));
        Assert.Equal([2, 3], described.Members[1].Assignment.Single().Partitions);
        Assert.Equal("events", described.Members[1].TargetAssignment.Single().TopicName);
        Assert.NotEqual(int.MinValue, described.AuthorizedOperations);

        // Leaving: epoch -1 in, -1 out; the group epoch advances and A may take everything back.
        var left = await client.SendAsync(Heartbeat, 1, Beat("g848", "member-b", -1, null));
        Assert.Equal(ErrorCode.None, left.ErrorCode);
        Assert.Equal(-1, left.MemberEpoch);
        var all = await client.SendAsync(Heartbeat, 1, Beat("g848", "member-a", 2, [new(id, [0, 1])]));
        Assert.Equal(3, all.MemberEpoch);
        Assert.Equal([0, 1, 2, 3], Partitions(all));
    }

    [Fact]
    public async Task A_member_rejoining_with_epoch_0_abandons_its_partitions_to_the_others()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 4);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "rejoin");
        await client.SendAsync(Heartbeat, 1, Join("rejoin", "member-a", "events"));
        Assert.Empty(Partitions(await client.SendAsync(Heartbeat, 1, Join("rejoin", "member-b", "events"))));

        // A was fenced (say) and starts over: it holds nothing any more, so B need not wait for a revocation.
        var again = await client.SendAsync(Heartbeat, 1, Join("rejoin", "member-a", "events"));
        Assert.Equal(3, again.MemberEpoch);
        Assert.Equal([0, 1], Partitions(again));
        var b = await client.SendAsync(Heartbeat, 1, Beat("rejoin", "member-b", 2, []));
        Assert.Equal(3, b.MemberEpoch);
        Assert.Equal([2, 3], Partitions(b));
    }

    [Fact]
    public async Task Heartbeats_are_fenced_and_checked_as_Kafka_does()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 2);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "fenced");
        await client.SendAsync(Heartbeat, 1, Join("fenced", "m", "events"));

        Assert.Equal(ErrorCode.FencedMemberEpoch, (await client.SendAsync(Heartbeat, 1, Beat("fenced", "m", 7, null))).ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.SendAsync(Heartbeat, 1, Beat("fenced", "stranger", 1, null))).ErrorCode);
        await using var elsewhere = await ConnectToCoordinatorAsync(sandbox, "nowhere");
        var absent = await elsewhere.SendAsync(Heartbeat, 1, Beat("nowhere", "m", 1, null));
        Assert.Equal(ErrorCode.GroupIdNotFound, absent.ErrorCode);
        Assert.Equal("Consumer group nowhere not found.", absent.ErrorMessage);
        // v1: the client chooses its member id; an empty one is refused. v0: the coordinator hands one out.
        Assert.Equal(ErrorCode.InvalidRequest, (await client.SendAsync(Heartbeat, 1, Join("fenced", "", "events"))).ErrorCode);
        var v0 = await client.SendAsync(Heartbeat, 0, Join("fenced", "", "events"));
        Assert.Equal(ErrorCode.None, v0.ErrorCode);
        Assert.False(string.IsNullOrEmpty(v0.MemberId));
        Assert.Equal(ErrorCode.UnsupportedAssignor,
            (await client.SendAsync(Heartbeat, 1, Join("fenced", "x", "events") with { ServerAssignor = "sticky-nonsense" })).ErrorCode);
    }

    [Fact]
    public async Task Offset_commits_follow_the_member_epoch_and_admin_commits_need_an_empty_group()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 2);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "epochs");
        var joined = await client.SendAsync(Heartbeat, 1, Join("epochs", "m", "events"));
        Assert.Equal(1, joined.MemberEpoch);

        OffsetCommitRequest Commit(int epoch, string memberId, long offset) =>
            new("epochs", epoch, memberId, null, -1, [new OffsetCommitRequestTopic("events", [new OffsetCommitRequestPartition(0, offset, -1, -1, null)])]);
        ErrorCode Error(OffsetCommitResponse r) => r.Topics.Single().Partitions.Single().ErrorCode;

        Assert.Equal(ErrorCode.None, Error(await client.SendAsync(OffsetCommit, 9, Commit(1, "m", 5))));
        Assert.Equal(ErrorCode.StaleMemberEpoch, Error(await client.SendAsync(OffsetCommit, 9, Commit(0, "m", 6))));
        Assert.Equal(ErrorCode.FencedMemberEpoch, Error(await client.SendAsync(OffsetCommit, 9, Commit(2, "m", 6))));
        Assert.Equal(ErrorCode.UnknownMemberId, Error(await client.SendAsync(OffsetCommit, 9, Commit(1, "ghost", 6))));
        Assert.Equal(ErrorCode.UnsupportedVersion, Error(await client.SendAsync(OffsetCommit, 8, Commit(1, "m", 6))));
        // An admin commit (generation -1, no member) is refused while the group has a member...
        Assert.Equal(ErrorCode.UnknownMemberId, Error(await client.SendAsync(OffsetCommit, 9, Commit(-1, "", 6))));

        OffsetFetchRequest Fetch(string? memberId, int epoch) => new("", null, [new OffsetFetchRequestGroup("epochs", memberId, epoch, null)], false);
        Assert.Equal(ErrorCode.StaleMemberEpoch, (await client.SendAsync(OffsetFetch, 9, Fetch("m", 0))).Groups.Single().ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.SendAsync(OffsetFetch, 9, Fetch("ghost", 1))).Groups.Single().ErrorCode);
        var fetched = (await client.SendAsync(OffsetFetch, 9, Fetch("m", 1))).Groups.Single();
        Assert.Equal(5, fetched.Topics.Single().Partitions.Single().CommittedOffset);
        Assert.Equal(ErrorCode.None, (await client.SendAsync(OffsetFetch, 9, Fetch(null, -1))).Groups.Single().ErrorCode);

        // ...and accepted once it left.
        await client.SendAsync(Heartbeat, 1, Beat("epochs", "m", -1, null));
        Assert.Equal(ErrorCode.None, Error(await client.SendAsync(OffsetCommit, 9, Commit(-1, "", 6))));
        var listed = (await client.SendAsync(ListGroups, 5, new ListGroupsRequest([], []))).Groups.Single(g => g.GroupId == "epochs");
        Assert.Equal(("consumer", "Empty", "consumer"), (listed.ProtocolType, listed.GroupState, listed.GroupType));
    }

    [Fact]
    public async Task A_live_consumer_group_keeps_its_subscribed_offsets_and_cannot_be_deleted()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 1);
        CreateTopic(sandbox, "old", 1);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "live");
        var joined = await client.SendAsync(Heartbeat, 1, Join("live", "m", "events"));
        foreach (var topic in new[] { "events", "old" })
        {
            await client.SendAsync(OffsetCommit, 9, new OffsetCommitRequest("live", joined.MemberEpoch, "m", null, -1,
                [new OffsetCommitRequestTopic(topic, [new OffsetCommitRequestPartition(0, 3, -1, -1, null)])]));
        }

        var deleted = await client.SendAsync(OffsetDelete, 0, new OffsetDeleteRequest("live", [new("events", [0]), new("old", [0])]));
        Assert.Equal(ErrorCode.None, deleted.ErrorCode);
        Assert.Equal([ErrorCode.GroupSubscribedToTopic, ErrorCode.None], deleted.Topics.Select(t => t.Partitions.Single().ErrorCode));
        Assert.Equal(ErrorCode.NonEmptyGroup, (await client.SendAsync(DeleteGroups, 2, new DeleteGroupsRequest(["live"]))).Results.Single().ErrorCode);

        await client.SendAsync(Heartbeat, 1, Beat("live", "m", -1, null));
        Assert.Equal(ErrorCode.None, (await client.SendAsync(DeleteGroups, 2, new DeleteGroupsRequest(["live"]))).Results.Single().ErrorCode);
    }

    [Fact]
    public async Task A_silent_member_is_removed_when_its_session_times_out()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(sessionTimeoutMs: 200), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 2);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "sleepy");
        await client.SendAsync(Heartbeat, 1, Join("sleepy", "m", "events"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        ConsumerGroupDescribeGroup described;
        do
        {
            await Task.Delay(50, Ct);
            described = (await client.SendAsync(Describe, 0, new ConsumerGroupDescribeRequest(["sleepy"], false))).Groups.Single();
        }
        while (described.Members.Count > 0 && DateTime.UtcNow < deadline);
        Assert.Empty(described.Members);
        Assert.Equal("Empty", described.GroupState);
        Assert.Equal(2, described.GroupEpoch);
    }

    [Fact]
    public async Task Describe_names_absent_groups_and_groups_of_other_types()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 1);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "classic-one");
        await client.SendAsync(OffsetCommit, 9, new OffsetCommitRequest("classic-one", -1, "", null, -1,
            [new OffsetCommitRequestTopic("events", [new OffsetCommitRequestPartition(0, 1, -1, -1, null)])]));

        var answer = await client.SendAsync(Describe, 1, new ConsumerGroupDescribeRequest(["classic-one"], false));
        var classic = answer.Groups.Single();
        Assert.Equal(ErrorCode.GroupIdNotFound, classic.ErrorCode);
        Assert.Equal("Group classic-one is not a consumer group.", classic.ErrorMessage);

        await using var other = await ConnectToCoordinatorAsync(sandbox, "never-was");
        var absent = (await other.SendAsync(Describe, 1, new ConsumerGroupDescribeRequest(["never-was"], false))).Groups.Single();
        Assert.Equal(ErrorCode.GroupIdNotFound, absent.ErrorCode);
        Assert.Equal("Group never-was not found.", absent.ErrorMessage);
    }

    [Fact]
    public async Task An_empty_classic_group_becomes_a_consumer_group_and_keeps_its_offsets()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "events", 1);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "restored");
        await client.SendAsync(OffsetCommit, 9, new OffsetCommitRequest("restored", -1, "", null, -1,
            [new OffsetCommitRequestTopic("events", [new OffsetCommitRequestPartition(0, 42, -1, -1, null)])]));

        var joined = await client.SendAsync(Heartbeat, 1, Join("restored", "m", "events"));
        Assert.Equal(ErrorCode.None, joined.ErrorCode);
        var fetched = (await client.SendAsync(OffsetFetch, 9, new OffsetFetchRequest("", null, [new OffsetFetchRequestGroup("restored", "m", joined.MemberEpoch, null)], false))).Groups.Single();
        Assert.Equal(42, fetched.Topics.Single().Partitions.Single().CommittedOffset);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(GroupType.Consumer, sandbox.State.Groups.Find("restored")!.Type);
        }
    }
}
