using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

public class RebalanceTests
{
    private static SandboxOptions Fast(int brokers = 1) => new()
    {
        BrokerCount = brokers,
        Groups = new GroupSettings { InitialRebalanceDelay = TimeSpan.FromMilliseconds(50), MinSessionTimeoutMs = 100 },
    };

    private static async Task<SyncGroupResponse> SyncAsync(GroupProtocolClient client, string groupId, JoinGroupResponse joined,
        params (string MemberId, byte[] Assignment)[] assignments) =>
        await client.SendAsync(SyncGroup, 3, new SyncGroupRequest(groupId, joined.GenerationId, joined.MemberId, null, null, null,
            assignments.Select(a => new SyncGroupRequestAssignment(a.MemberId, a.Assignment)).ToList()));

    [Fact]
    public async Task Two_members_join_one_generation_and_the_leader_assigns_both()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(3), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 4);
        await using var a = await ConnectToCoordinatorAsync(sandbox, "pair", "client-a");
        await using var b = await ConnectToCoordinatorAsync(sandbox, "pair", "client-b");

        var joins = await Task.WhenAll(JoinAsync(a, "pair", topics: "t"), JoinAsync(b, "pair", topics: "t"));
        Assert.All(joins, j => Assert.Equal(ErrorCode.None, j.ErrorCode));
        Assert.Equal(joins[0].GenerationId, joins[1].GenerationId);
        Assert.Equal(joins[0].Leader, joins[1].Leader);
        Assert.StartsWith("client-a-", joins[0].MemberId, StringComparison.Ordinal);
        Assert.Equal("range", joins[0].ProtocolName);
        var leader = joins.Single(j => j.MemberId == j.Leader);
        var follower = joins.Single(j => j.MemberId != j.Leader);
        Assert.Equal(2, leader.Members.Count);
        Assert.Empty(follower.Members);
        Assert.All(leader.Members, m => Assert.Equal(Subscription("t"), m.Metadata));

        var leaderClient = leader == joins[0] ? a : b;
        var followerClient = leader == joins[0] ? b : a;
        var followerSync = SyncAsync(followerClient, "pair", follower);
        Assert.False(followerSync.IsCompleted);
        var leaderSync = await SyncAsync(leaderClient, "pair", leader, (leader.MemberId, [1, 2]), (follower.MemberId, [3, 4, 5]));
        Assert.Equal(new byte[] { 1, 2 }, leaderSync.Assignment);
        Assert.Equal(new byte[] { 3, 4, 5 }, (await followerSync).Assignment);
        Assert.Equal(GroupState.Stable, await StateAsync(a, "pair"));

        var described = (await a.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest(["pair"], false))).Groups.Single();
        Assert.Equal("consumer", described.ProtocolType);
        Assert.Equal("range", described.ProtocolData);
        var followerDescribed = described.Members.Single(m => m.MemberId == follower.MemberId);
        Assert.Equal(new byte[] { 3, 4, 5 }, followerDescribed.MemberAssignment);
        Assert.Equal(Subscription("t"), followerDescribed.MemberMetadata);
        Assert.Equal("/127.0.0.1", followerDescribed.ClientHost);

        var heartbeat = await a.SendAsync(Heartbeat, 3, new HeartbeatRequest("pair", joins[0].GenerationId, joins[0].MemberId, null));
        Assert.Equal(ErrorCode.None, heartbeat.ErrorCode);
        var stale = await a.SendAsync(Heartbeat, 3, new HeartbeatRequest("pair", joins[0].GenerationId - 1, joins[0].MemberId, null));
        Assert.Equal(ErrorCode.IllegalGeneration, stale.ErrorCode);
        var stranger = await a.SendAsync(Heartbeat, 3, new HeartbeatRequest("pair", joins[0].GenerationId, "nobody", null));
        Assert.Equal(ErrorCode.UnknownMemberId, stranger.ErrorCode);
    }

    [Fact]
    public async Task A_new_member_makes_heartbeats_answer_REBALANCE_IN_PROGRESS_until_everyone_rejoins()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 2);
        await using var a = await GroupProtocolClient.ConnectAsync(sandbox, 0, "a");
        await using var b = await GroupProtocolClient.ConnectAsync(sandbox, 0, "b");
        var first = await JoinAsync(a, "g", topics: "t");
        await SyncAsync(a, "g", first, (first.MemberId, [9]));

        var secondJoin = JoinAsync(b, "g", topics: "t");
        await EventuallyAsync(async () => (await a.SendAsync(Heartbeat, 3, new HeartbeatRequest("g", first.GenerationId, first.MemberId, null))).ErrorCode == ErrorCode.RebalanceInProgress,
            TimeSpan.FromSeconds(5), "the heartbeat to ask for a rejoin");
        Assert.False(secondJoin.IsCompleted);

        var rejoin = await a.SendAsync(JoinGroup, 5, JoinRequest("g", first.MemberId, topics: "t"));
        var second = await secondJoin;
        Assert.Equal(first.GenerationId + 1, rejoin.GenerationId);
        Assert.Equal(rejoin.GenerationId, second.GenerationId);
        Assert.Equal(first.MemberId, rejoin.Leader);
        Assert.Equal(2, rejoin.Members.Count);
    }

    [Fact]
    public async Task Leaving_members_rebalance_the_rest_and_the_last_one_empties_the_group()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 2);
        await using var a = await GroupProtocolClient.ConnectAsync(sandbox, 0, "a");
        await using var b = await GroupProtocolClient.ConnectAsync(sandbox, 0, "b");
        var joins = await Task.WhenAll(JoinAsync(a, "g", topics: "t"), JoinAsync(b, "g", topics: "t"));
        var leader = joins.Single(j => j.MemberId == j.Leader);
        var follower = joins.Single(j => j.MemberId != j.Leader);
        var leaderClient = leader == joins[0] ? a : b;
        var followerClient = leader == joins[0] ? b : a;
        var followerSync = SyncAsync(followerClient, "g", follower);
        await SyncAsync(leaderClient, "g", leader, (leader.MemberId, [1]), (follower.MemberId, [2]));
        await followerSync;

        // v1 (single member): the follower leaves; the leader must rejoin alone.
        var left = await followerClient.SendAsync(LeaveGroup, 1, new LeaveGroupRequest("g", follower.MemberId, []));
        Assert.Equal(ErrorCode.None, left.ErrorCode);
        Assert.Equal(GroupState.PreparingRebalance, await StateAsync(a, "g"));
        var alone = await leaderClient.SendAsync(JoinGroup, 5, JoinRequest("g", leader.MemberId, topics: "t"));
        Assert.Equal(leader.GenerationId + 1, alone.GenerationId);
        Assert.Single(alone.Members);

        // v3+ (batched): one unknown member and the real one; the group empties.
        var batch = await leaderClient.SendAsync(LeaveGroup, 4, new LeaveGroupRequest("g", "", [new LeaveGroupRequestMember("ghost", null, null), new LeaveGroupRequestMember(leader.MemberId, null, null)]));
        Assert.Equal(ErrorCode.None, batch.ErrorCode);
        Assert.Equal([ErrorCode.UnknownMemberId, ErrorCode.None], batch.Members.Select(m => m.ErrorCode));
        Assert.Equal(GroupState.Empty, await StateAsync(a, "g"));
        var again = await leaderClient.SendAsync(LeaveGroup, 0, new LeaveGroupRequest("g", leader.MemberId, []));
        Assert.Equal(ErrorCode.UnknownMemberId, again.ErrorCode);
    }

    [Fact]
    public async Task A_member_that_stops_heartbeating_expires_after_its_session_timeout()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var joined = await JoinAsync(client, "sleepy", sessionTimeoutMs: 300, topics: "t");
        await SyncAsync(client, "sleepy", joined, (joined.MemberId, [1]));
        Assert.Equal(GroupState.Stable, await StateAsync(client, "sleepy"));

        await EventuallyAsync(async () => await StateAsync(client, "sleepy") == GroupState.Empty, TimeSpan.FromSeconds(5), "the session to expire");
        var heartbeat = await client.SendAsync(Heartbeat, 3, new HeartbeatRequest("sleepy", joined.GenerationId, joined.MemberId, null));
        Assert.Equal(ErrorCode.UnknownMemberId, heartbeat.ErrorCode);
    }

    [Fact]
    public async Task Join_errors_follow_Kafka()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var tooShort = await client.SendAsync(JoinGroup, 5, JoinRequest("g", "", sessionTimeoutMs: 10, topics: "t"));
        Assert.Equal(ErrorCode.InvalidSessionTimeout, tooShort.ErrorCode);
        var noGroupId = await client.SendAsync(JoinGroup, 5, JoinRequest("", "", topics: "t"));
        Assert.Equal(ErrorCode.InvalidGroupId, noGroupId.ErrorCode);
        var unknownMember = await client.SendAsync(JoinGroup, 5, JoinRequest("g", "made-up", topics: "t"));
        Assert.Equal(ErrorCode.UnknownMemberId, unknownMember.ErrorCode);

        // Before v4 a member id is handed out at once, without a second round trip.
        var v3 = await client.SendAsync(JoinGroup, 3, JoinRequest("old", "", topics: "t"));
        Assert.Equal(ErrorCode.None, v3.ErrorCode);
        Assert.NotEmpty(v3.MemberId);

        var otherType = await client.SendAsync(JoinGroup, 5, new JoinGroupRequest("old", 10_000, 10_000, "", null, "connect",
            [new JoinGroupRequestProtocol("default", [])], null));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, otherType.ErrorCode);
    }

    [Fact]
    public async Task A_static_member_is_accepted_and_replaces_itself_on_restart()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var first = await JoinAsync(client, "static", instanceId: "pod-1", topics: "t");
        Assert.Equal(ErrorCode.None, first.ErrorCode);
        Assert.StartsWith("pod-1-", first.MemberId, StringComparison.Ordinal);
        await SyncAsync(client, "static", first, (first.MemberId, [7]));

        // Restarted with the same subscription: it takes its old place without a rebalance. At v9 the leader is
        // told to skip the assignment and keep the one it has.
        var restarted = await client.SendAsync(JoinGroup, 9, JoinRequest("static", "", instanceId: "pod-1", topics: "t"));
        Assert.Equal(ErrorCode.None, restarted.ErrorCode);
        Assert.NotEqual(first.MemberId, restarted.MemberId);
        Assert.Equal(first.GenerationId, restarted.GenerationId);
        Assert.True(restarted.SkipAssignment);
        Assert.Equal(restarted.MemberId, restarted.Leader);
        Assert.Equal(GroupState.Stable, await StateAsync(client, "static"));
        var kept = await client.SendAsync(SyncGroup, 5, new SyncGroupRequest("static", restarted.GenerationId, restarted.MemberId, "pod-1", "consumer", "range", []));
        Assert.Equal(new byte[] { 7 }, kept.Assignment);
        var fenced = await client.SendAsync(Heartbeat, 3, new HeartbeatRequest("static", restarted.GenerationId, first.MemberId, "pod-1"));
        Assert.Equal(ErrorCode.FencedInstanceId, fenced.ErrorCode);

        // A restart that prefers another protocol (still offering the current one) changes the group's protocol: that rebalances.
        var changed = await client.SendAsync(JoinGroup, 5, new JoinGroupRequest("static", 10_000, 10_000, "", "pod-1", "consumer",
            [new JoinGroupRequestProtocol("roundrobin", Subscription("t")), new JoinGroupRequestProtocol("range", Subscription("t"))], null));
        Assert.Equal(ErrorCode.None, changed.ErrorCode);
        Assert.Equal(first.GenerationId + 1, changed.GenerationId);
        Assert.Equal("roundrobin", changed.ProtocolName);
        var described = (await client.SendAsync(DescribeGroups, 4, new DescribeGroupsRequest(["static"], false))).Groups.Single();
        Assert.Equal("pod-1", described.Members.Single().GroupInstanceId);
    }

    private static async Task<JoinGroupResponse> JoinWithTimeoutsAsync(GroupProtocolClient client, string groupId, int rebalanceTimeoutMs)
    {
        var first = await client.SendAsync(JoinGroup, 5, JoinRequest(groupId, "", 10_000, rebalanceTimeoutMs, null, "t"));
        return await client.SendAsync(JoinGroup, 5, JoinRequest(groupId, first.MemberId, 10_000, rebalanceTimeoutMs, null, "t"));
    }

    [Fact]
    public async Task A_member_that_does_not_rejoin_in_time_is_dropped_from_the_next_generation()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 2);
        await using var a = await GroupProtocolClient.ConnectAsync(sandbox, 0, "a");
        await using var b = await GroupProtocolClient.ConnectAsync(sandbox, 0, "b");
        await using var c = await GroupProtocolClient.ConnectAsync(sandbox, 0, "c");
        await using var observer = await GroupProtocolClient.ConnectAsync(sandbox, 0, "observer");
        var joins = await Task.WhenAll(JoinWithTimeoutsAsync(a, "g", 400), JoinWithTimeoutsAsync(b, "g", 400));
        var leader = joins.Single(j => j.MemberId == j.Leader);
        var follower = joins.Single(j => j.MemberId != j.Leader);
        var followerSync = SyncAsync(leader == joins[0] ? b : a, "g", follower);
        await SyncAsync(leader == joins[0] ? a : b, "g", leader, (leader.MemberId, [1]), (follower.MemberId, [2]));
        await followerSync;

        // A third member arrives; only the leader rejoins, the follower stays silent.
        var third = JoinWithTimeoutsAsync(c, "g", 400);
        await EventuallyAsync(async () => await StateAsync(observer, "g") == GroupState.PreparingRebalance, TimeSpan.FromSeconds(5), "the rebalance to start");
        var leaderClient = leader == joins[0] ? a : b;
        var followerClient = leader == joins[0] ? b : a;
        var syncTooEarly = await followerClient.SendAsync(SyncGroup, 3, new SyncGroupRequest("g", follower.GenerationId, follower.MemberId, null, null, null, []));
        Assert.Equal(ErrorCode.RebalanceInProgress, syncTooEarly.ErrorCode);
        var rejoined = await leaderClient.SendAsync(JoinGroup, 5, JoinRequest("g", leader.MemberId, 10_000, 400, null, "t"));
        var newcomer = await third;

        Assert.Equal(leader.GenerationId + 1, rejoined.GenerationId);
        Assert.Equal(rejoined.GenerationId, newcomer.GenerationId);
        Assert.Equal(new[] { leader.MemberId, newcomer.MemberId }.Order(StringComparer.Ordinal), rejoined.Members.Select(m => m.MemberId).Order(StringComparer.Ordinal));
        var dropped = await followerClient.SendAsync(Heartbeat, 3, new HeartbeatRequest("g", follower.GenerationId, follower.MemberId, null));
        Assert.Equal(ErrorCode.UnknownMemberId, dropped.ErrorCode);

        // In CompletingRebalance a member commit is told to finish the rebalance first; a wrong generation is refused.
        var commit = await leaderClient.SendAsync(OffsetCommit, 8, new OffsetCommitRequest("g", rejoined.GenerationId, rejoined.MemberId, null, -1,
            [new OffsetCommitRequestTopic("t", [new OffsetCommitRequestPartition(0, 1, -1, -1, null)])]));
        Assert.Equal(ErrorCode.RebalanceInProgress, commit.Topics[0].Partitions[0].ErrorCode);
        var wrongGeneration = await leaderClient.SendAsync(SyncGroup, 3, new SyncGroupRequest("g", leader.GenerationId, rejoined.MemberId, null, null, null, []));
        Assert.Equal(ErrorCode.IllegalGeneration, wrongGeneration.ErrorCode);
    }

    [Fact]
    public async Task Members_that_never_send_SyncGroup_are_removed_after_the_rebalance_timeout()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var joined = await JoinWithTimeoutsAsync(client, "lazy", 300);
        Assert.Equal(ErrorCode.None, joined.ErrorCode);
        Assert.Equal(GroupState.CompletingRebalance, await StateAsync(client, "lazy"));
        await EventuallyAsync(async () => await StateAsync(client, "lazy") == GroupState.Empty, TimeSpan.FromSeconds(5), "the pending sync to expire");
    }

    [Fact]
    public async Task An_admin_removes_a_static_member_by_its_instance_id_and_a_parked_sync_hears_it()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var member = await GroupProtocolClient.ConnectAsync(sandbox, 0, "member");
        await using var follower = await GroupProtocolClient.ConnectAsync(sandbox, 0, "follower");
        await using var admin = await GroupProtocolClient.ConnectAsync(sandbox, 0, "admin");
        var joins = await Task.WhenAll(JoinAsync(member, "g", instanceId: "pod-1", topics: "t"), JoinAsync(follower, "g", topics: "t"));
        var staticJoin = joins[0];
        var dynamicJoin = joins[1];
        Assert.Equal(staticJoin.GenerationId, dynamicJoin.GenerationId);

        // Whoever is not the leader parks in SyncGroup; removing it must answer that request.
        var (parkedClient, parked) = staticJoin.MemberId == staticJoin.Leader ? (follower, dynamicJoin) : (member, staticJoin);
        var parkedSync = parkedClient.SendAsync(SyncGroup, 3, new SyncGroupRequest("g", parked.GenerationId, parked.MemberId,
            parked == staticJoin ? "pod-1" : null, null, null, []));
        await EventuallyAsync(() => Task.FromResult(SyncIsParked(sandbox, parked.MemberId)), TimeSpan.FromSeconds(5), "the SyncGroup to park");

        var leaving = parked == staticJoin
            ? new LeaveGroupRequestMember("", "pod-1", "admin")
            : new LeaveGroupRequestMember(parked.MemberId, null, "admin");
        var left = await admin.SendAsync(LeaveGroup, 5, new LeaveGroupRequest("g", "", [leaving]));
        Assert.Equal(ErrorCode.None, left.Members.Single().ErrorCode);
        Assert.Equal(ErrorCode.UnknownMemberId, (await parkedSync.WaitAsync(TimeSpan.FromSeconds(5), Ct)).ErrorCode);
        Assert.Equal(GroupState.PreparingRebalance, await StateAsync(admin, "g"));
    }

    private static bool SyncIsParked(SandboxCluster sandbox, string memberId)
    {
        lock (sandbox.State.Sync)
        {
            return sandbox.State.Groups.Find("g")?.Member(memberId)?.IsAwaitingSync == true;
        }
    }
}
