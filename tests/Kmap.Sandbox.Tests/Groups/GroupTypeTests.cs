using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>
/// Share and streams groups (made with SandboxCluster's test hooks) and how every group type shows in ListGroups,
/// DescribeGroups, ShareGroupDescribe, StreamsGroupDescribe, DescribeShareGroupOffsets, AlterShareGroupOffsets
/// and the classic offset APIs — the answers Kafka 4.1's coordinator gives.
/// </summary>
public class GroupTypeTests
{
    private static readonly ConsumerGroupHeartbeatHandler ConsumerHeartbeat = new();
    private static readonly ShareGroupDescribeHandler ShareDescribe = new();
    private static readonly StreamsGroupDescribeHandler StreamsDescribe = new();
    private static readonly DescribeShareGroupOffsetsHandler ShareOffsets = new();
    private static readonly AlterShareGroupOffsetsHandler AlterShareOffsets = new();

    private static async Task<SandboxCluster> StartAsync()
    {
        // Streams groups are early access in Kafka 4.1: StreamsGroupDescribe is served only with its unstable versions on.
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, UnstableApiVersions = true }, cancellationToken: Ct);
        CreateTopic(sandbox, "in", 2);
        return sandbox;
    }

    private static OffsetCommitRequest AdminCommit(string groupId, long offset) =>
        new(groupId, -1, "", null, -1, [new OffsetCommitRequestTopic("in", [new OffsetCommitRequestPartition(0, offset, -1, -1, null)])]);

    /// <summary>One group of each type: classic (admin commit), consumer (a live member), share and streams (hooks).</summary>
    private static async Task SeedEveryTypeAsync(SandboxCluster sandbox, GroupProtocolClient client)
    {
        await client.SendAsync(OffsetCommit, 9, AdminCommit("a-classic", 1));
        await client.SendAsync(ConsumerHeartbeat, 1, new ConsumerGroupHeartbeatRequest("a-consumer", "m", 0, null, null, 30_000, ["in"], null, null, []));
        sandbox.CreateShareGroup("a-share", new Dictionary<(string, int), long> { [("in", 0)] = 3 });
        sandbox.CreateStreamsGroup("a-streams", new Dictionary<(string, int), long> { [("in", 1)] = 8 });
    }

    [Fact]
    public async Task ListGroups_lists_every_type_with_its_type_string_and_filters_by_type_and_state()
    {
        await using var sandbox = await StartAsync();
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await SeedEveryTypeAsync(sandbox, client);

        var all = (await client.SendAsync(ListGroups, 5, new ListGroupsRequest([], []))).Groups.OrderBy(g => g.GroupId).ToList();
        Assert.Equal(["a-classic", "a-consumer", "a-share", "a-streams"], all.Select(g => g.GroupId));
        Assert.Equal(["classic", "consumer", "share", "streams"], all.Select(g => g.GroupType));
        Assert.Equal(["", "consumer", "share", "streams"], all.Select(g => g.ProtocolType));
        Assert.Equal(["Empty", "Stable", "Empty", "Empty"], all.Select(g => g.GroupState));

        var shares = (await client.SendAsync(ListGroups, 5, new ListGroupsRequest([], ["Share", "streams"]))).Groups;
        Assert.Equal(["a-share", "a-streams"], shares.Select(g => g.GroupId).Order());
        var stable = (await client.SendAsync(ListGroups, 5, new ListGroupsRequest(["stable"], []))).Groups;
        Assert.Equal("a-consumer", Assert.Single(stable).GroupId);
        // Before v5 there is no type, but the groups are all there, with their protocol types.
        var v2 = (await client.SendAsync(ListGroups, 2, new ListGroupsRequest([], []))).Groups;
        Assert.Equal(4, v2.Count);
    }

    [Fact]
    public async Task DescribeGroups_v6_refuses_non_classic_and_absent_groups_and_older_versions_say_Dead()
    {
        await using var sandbox = await StartAsync();
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await SeedEveryTypeAsync(sandbox, client);
        string[] ids = ["a-classic", "a-consumer", "a-share", "a-streams", "absent"];

        var v6 = (await client.SendAsync(DescribeGroups, 6, new DescribeGroupsRequest(ids, false))).Groups;
        Assert.Equal([ErrorCode.None, ErrorCode.GroupIdNotFound, ErrorCode.GroupIdNotFound, ErrorCode.GroupIdNotFound, ErrorCode.GroupIdNotFound],
            v6.Select(g => g.ErrorCode));
        Assert.Equal([null, "Group a-consumer is not a classic group.", "Group a-share is not a classic group.",
            "Group a-streams is not a classic group.", "Group absent not found."], v6.Select(g => g.ErrorMessage));
        Assert.Equal(["Empty", "Dead", "Dead", "Dead", "Dead"], v6.Select(g => g.GroupState));

        var v5 = (await client.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest(ids, false))).Groups;
        Assert.All(v5, g => Assert.Equal(ErrorCode.None, g.ErrorCode));
        Assert.Equal(["Empty", "Dead", "Dead", "Dead", "Dead"], v5.Select(g => g.GroupState));
        Assert.All(v5, g => Assert.Empty(g.Members));
    }

    [Fact]
    public async Task A_share_group_has_start_offsets_that_only_an_empty_group_may_alter()
    {
        await using var sandbox = await StartAsync();
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await SeedEveryTypeAsync(sandbox, client);

        // Kafka does not create a share group from AlterShareGroupOffsets.
        var absent = await client.SendAsync(AlterShareOffsets, 0, new AlterShareGroupOffsetsRequest("new-share", [new("in", [new(0, 5)])]));
        Assert.Equal((ErrorCode.GroupIdNotFound, "Group new-share not found."), (absent.ErrorCode, absent.ErrorMessage));
        var wrongType = await client.SendAsync(AlterShareOffsets, 0, new AlterShareGroupOffsetsRequest("a-consumer", [new("in", [new(0, 5)])]));
        Assert.Equal((ErrorCode.GroupIdNotFound, "Group a-consumer is not a share group."), (wrongType.ErrorCode, wrongType.ErrorMessage));

        var altered = await client.SendAsync(AlterShareOffsets, 0, new AlterShareGroupOffsetsRequest("a-share", [new("in", [new(1, 11), new(9, 1)]), new("gone", [new(0, 1)])]));
        Assert.Equal(ErrorCode.None, altered.ErrorCode);
        Assert.Equal([ErrorCode.None, ErrorCode.UnknownTopicOrPartition], altered.Responses[0].Partitions.Select(p => p.ErrorCode));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, altered.Responses[1].Partitions.Single().ErrorCode);
        Assert.NotEqual(Guid.Empty, altered.Responses[0].TopicId);

        var all = (await client.SendAsync(ShareOffsets, 0, new DescribeShareGroupOffsetsRequest([new("a-share", null)]))).Groups.Single();
        Assert.Equal(ErrorCode.None, all.ErrorCode);
        var partitions = all.Topics.Single(t => t.TopicName == "in").Partitions;
        Assert.Equal([(0, 3L), (1, 11L)], partitions.Select(p => (p.PartitionIndex, p.StartOffset)));

        // Named partitions without a start offset, even of an absent group, read as -1 without error.
        var named = (await client.SendAsync(ShareOffsets, 0, new DescribeShareGroupOffsetsRequest([new("nobody", [new("in", [0])])]))).Groups.Single();
        Assert.Equal(ErrorCode.None, named.ErrorCode);
        Assert.Equal(-1, named.Topics.Single().Partitions.Single().StartOffset);

        var memberId = sandbox.AddGroupMember("a-share", ["in"]);
        var busy = await client.SendAsync(AlterShareOffsets, 0, new AlterShareGroupOffsetsRequest("a-share", [new("in", [new(0, 0)])]));
        Assert.Equal(ErrorCode.NonEmptyGroup, busy.ErrorCode);

        var described = (await client.SendAsync(ShareDescribe, 1, new ConsumerGroupDescribeRequest(["a-share", "a-consumer", "absent"], false))).Groups;
        Assert.Equal("Stable", described[0].GroupState);
        Assert.Equal("simple", described[0].AssignorName);
        var member = Assert.Single(described[0].Members);
        Assert.Equal(memberId, member.MemberId);
        Assert.Equal(["in"], member.SubscribedTopicNames);
        Assert.Equal([0, 1], member.Assignment.Single().Partitions);
        Assert.Equal("Group a-consumer is not a share group.", described[1].ErrorMessage);
        Assert.Equal("Group absent not found.", described[2].ErrorMessage);

        // The classic offset APIs: a share group takes no commits and has no committed offsets.
        var commit = await client.SendAsync(OffsetCommit, 9, AdminCommit("a-share", 1));
        Assert.Equal(ErrorCode.GroupIdNotFound, commit.Topics.Single().Partitions.Single().ErrorCode);
        var fetched = (await client.SendAsync(OffsetFetch, 8, new OffsetFetchRequest("", null, [new OffsetFetchRequestGroup("a-share", null, -1, null)], false))).Groups.Single();
        Assert.Equal(ErrorCode.None, fetched.ErrorCode);
        Assert.Empty(fetched.Topics);

        sandbox.RemoveGroupMember("a-share", memberId);
        Assert.Equal("Empty", (await client.SendAsync(ShareDescribe, 1, new ConsumerGroupDescribeRequest(["a-share"], false))).Groups.Single().GroupState);
    }

    [Fact]
    public async Task A_streams_group_is_described_and_takes_admin_commits_only_while_empty()
    {
        await using var sandbox = await StartAsync();
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await SeedEveryTypeAsync(sandbox, client);

        Assert.Equal(ErrorCode.None, (await client.SendAsync(OffsetCommit, 9, AdminCommit("a-streams", 4))).Topics.Single().Partitions.Single().ErrorCode);
        var memberId = sandbox.AddGroupMember("a-streams", ["in"], "streams-app");
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.SendAsync(OffsetCommit, 9, AdminCommit("a-streams", 5))).Topics.Single().Partitions.Single().ErrorCode);

        var described = (await client.SendAsync(StreamsDescribe, 0, new ConsumerGroupDescribeRequest(["a-streams", "a-share"], true))).Groups;
        var streams = described[0];
        Assert.Equal(ErrorCode.None, streams.ErrorCode);
        Assert.Equal("Stable", streams.GroupState);
        Assert.Equal(1, streams.GroupEpoch);
        Assert.Equal(["in"], streams.Subtopologies.Single().SourceTopics);
        var member = Assert.Single(streams.Members);
        Assert.Equal((memberId, "streams-app"), (member.MemberId, member.ClientId));
        Assert.Equal([0, 1], member.ActiveTasks.Single().Partitions);
        Assert.Equal("Group a-share is not a streams group.", described[1].ErrorMessage);

        var offsets = (await client.SendAsync(OffsetFetch, 8, new OffsetFetchRequest("", null, [new OffsetFetchRequestGroup("a-streams", null, -1, null)], false))).Groups.Single();
        Assert.Equal([(0, 4L), (1, 8L)], offsets.Topics.Single().Partitions.Select(p => (p.PartitionIndex, p.CommittedOffset)));
    }

    [Fact]
    public async Task Classic_members_cannot_join_share_groups_but_turn_an_empty_consumer_group_classic()
    {
        await using var sandbox = await StartAsync();
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await SeedEveryTypeAsync(sandbox, client);
        await client.SendAsync(ConsumerHeartbeat, 1, new ConsumerGroupHeartbeatRequest("a-consumer", "m", -1, null, null, -1, null, null, null, null));

        var share = await client.SendAsync(JoinGroup, 5, JoinRequest("a-share", "", topics: "in"));
        Assert.Equal(ErrorCode.InconsistentGroupProtocol, share.ErrorCode);
        var consumer = await client.SendAsync(JoinGroup, 5, JoinRequest("a-consumer", "", topics: "in"));
        Assert.Equal(ErrorCode.MemberIdRequired, consumer.ErrorCode);
        var listed = (await client.SendAsync(ListGroups, 5, new ListGroupsRequest([], ["classic"]))).Groups;
        Assert.Contains(listed, g => g.GroupId == "a-consumer");
    }
}
