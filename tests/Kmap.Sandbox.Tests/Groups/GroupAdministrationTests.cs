using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

public class GroupAdministrationTests
{
    private static SandboxOptions Fast(int brokers = 1) => new()
    {
        BrokerCount = brokers,
        Groups = new GroupSettings { InitialRebalanceDelay = TimeSpan.FromMilliseconds(50) },
    };

    private static OffsetCommitRequest Commit(string groupId, int generation, string memberId, string topic, long offset) =>
        new(groupId, generation, memberId, null, -1, [new OffsetCommitRequestTopic(topic, [new OffsetCommitRequestPartition(0, offset, -1, -1, "")])]);

    /// <summary>One member joined and synced: the group is Stable.</summary>
    private static async Task<JoinGroupResponse> StableMemberAsync(GroupProtocolClient client, string groupId, string topic)
    {
        var joined = await JoinAsync(client, groupId, topics: topic);
        var synced = await client.SendAsync(SyncGroup, 3, new SyncGroupRequest(groupId, joined.GenerationId, joined.MemberId, null, null, null,
            [new SyncGroupRequestAssignment(joined.MemberId, [0, 1])]));
        Assert.Equal(ErrorCode.None, synced.ErrorCode);
        return joined;
    }

    [Fact]
    public async Task Admin_commit_to_a_group_with_a_live_member_is_refused_but_the_member_may_commit()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var member = await StableMemberAsync(client, "live", "t");

        var admin = await client.SendAsync(OffsetCommit, 8, Commit("live", -1, "", "t", 5));
        Assert.Equal(ErrorCode.UnknownMemberId, admin.Topics.Single().Partitions.Single().ErrorCode);
        var stale = await client.SendAsync(OffsetCommit, 8, Commit("live", member.GenerationId + 1, member.MemberId, "t", 5));
        Assert.Equal(ErrorCode.IllegalGeneration, stale.Topics.Single().Partitions.Single().ErrorCode);
        var own = await client.SendAsync(OffsetCommit, 8, Commit("live", member.GenerationId, member.MemberId, "t", 5));
        Assert.Equal(ErrorCode.None, own.Topics.Single().Partitions.Single().ErrorCode);

        // A member generation for a group that does not exist: ILLEGAL_GENERATION before v9, GROUP_ID_NOT_FOUND from v9.
        Assert.Equal(ErrorCode.IllegalGeneration, (await client.SendAsync(OffsetCommit, 8, Commit("ghost", 3, "m", "t", 1))).Topics[0].Partitions[0].ErrorCode);
        Assert.Equal(ErrorCode.GroupIdNotFound, (await client.SendAsync(OffsetCommit, 9, Commit("ghost", 3, "m", "t", 1))).Topics[0].Partitions[0].ErrorCode);
    }

    [Fact]
    public async Task ListGroups_filters_by_state_and_type()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await client.SendAsync(OffsetCommit, 8, Commit("idle", -1, "", "t", 1));
        await StableMemberAsync(client, "busy", "t");

        async Task<string[]> List(short version, string[] states, string[] types) =>
            (await client.SendAsync(ListGroups, version, new ListGroupsRequest(states, types))).Groups.Select(g => g.GroupId).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["busy", "idle"], await List(2, [], []));
        Assert.Equal(["busy"], await List(4, ["Stable"], []));
        Assert.Equal(["idle"], await List(4, ["empty"], []));
        Assert.Equal(["busy", "idle"], await List(4, ["Empty", "Stable"], []));
        Assert.Equal(["busy", "idle"], await List(5, [], ["Classic"]));
        Assert.Empty(await List(5, [], ["consumer"]));
        var busy = (await client.SendAsync(ListGroups, 4, new ListGroupsRequest([], []))).Groups.Single(g => g.GroupId == "busy");
        Assert.Equal("consumer", busy.ProtocolType);
    }

    [Fact]
    public async Task DeleteGroups_refuses_live_and_unknown_groups_and_deletes_empty_ones()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await client.SendAsync(OffsetCommit, 8, Commit("idle", -1, "", "t", 1));
        await StableMemberAsync(client, "busy", "t");

        var deleted = await client.SendAsync(DeleteGroups, 2, new DeleteGroupsRequest(["idle", "busy", "never"]));
        Assert.Equal([ErrorCode.None, ErrorCode.NonEmptyGroup, ErrorCode.GroupIdNotFound], deleted.Results.Select(r => r.ErrorCode));

        Assert.Equal(GroupState.Dead, await StateAsync(client, "idle"));
        var fetched = await client.SendAsync(OffsetFetch, 7, new OffsetFetchRequest("idle", null, [], false));
        Assert.Empty(fetched.Topics);
        var again = await client.SendAsync(DeleteGroups, 0, new DeleteGroupsRequest(["idle"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, again.Results.Single().ErrorCode);
    }

    [Fact]
    public async Task Describing_an_unknown_group_answers_Dead_without_error()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var described = (await client.SendAsync(DescribeGroups, 0, new DescribeGroupsRequest(["nothing"], false))).Groups.Single();
        Assert.Equal(ErrorCode.None, described.ErrorCode);
        Assert.Equal("Dead", described.GroupState);
        Assert.Empty(described.Members);
    }

    [Fact]
    public async Task OffsetDelete_keeps_offsets_of_topics_a_live_member_subscribes_to()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "consumed", 1);
        CreateTopic(sandbox, "abandoned", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var member = await StableMemberAsync(client, "g", "consumed");
        await client.SendAsync(OffsetCommit, 8, Commit("g", member.GenerationId, member.MemberId, "consumed", 4));
        await client.SendAsync(OffsetCommit, 8, Commit("g", member.GenerationId, member.MemberId, "abandoned", 6));

        var response = await client.SendAsync(OffsetDelete, 0, new OffsetDeleteRequest("g",
            [new OffsetDeleteRequestTopic("consumed", [0]), new OffsetDeleteRequestTopic("abandoned", [0]), new OffsetDeleteRequestTopic("missing", [0])]));
        Assert.Equal(ErrorCode.None, response.ErrorCode);
        Assert.Equal([ErrorCode.GroupSubscribedToTopic, ErrorCode.None, ErrorCode.UnknownTopicOrPartition],
            response.Topics.Select(t => t.Partitions.Single().ErrorCode));

        var left = await client.SendAsync(OffsetFetch, 7, new OffsetFetchRequest("g", null, [], false));
        Assert.Equal(["consumed"], left.Topics.Select(t => t.Name));
        var unknown = await client.SendAsync(OffsetDelete, 0, new OffsetDeleteRequest("nope", [new OffsetDeleteRequestTopic("consumed", [0])]));
        Assert.Equal(ErrorCode.GroupIdNotFound, unknown.ErrorCode);
    }

    [Fact]
    public async Task DescribeGroups_reports_authorized_operations_only_when_asked()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Fast(), cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await client.SendAsync(OffsetCommit, 8, Commit("g", -1, "", "t", 1));
        var asked = (await client.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest(["g"], true))).Groups.Single();
        Assert.Equal((1 << 3) | (1 << 6) | (1 << 8), asked.AuthorizedOperations);
        var notAsked = (await client.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest(["g"], false))).Groups.Single();
        Assert.Equal(int.MinValue, notAsked.AuthorizedOperations);
    }

    [Fact]
    public async Task A_restart_from_a_data_directory_keeps_offsets_and_the_consumer_protocol_type()
    {
        var directory = Path.Combine(Path.GetTempPath(), "kmap-groups-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = Fast() with { DataDirectory = directory };
            await using (var sandbox = await SandboxCluster.StartAsync(options, cancellationToken: Ct))
            {
                CreateTopic(sandbox, "t", 1);
                await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
                var member = await StableMemberAsync(client, "consumers", "t");
                await client.SendAsync(OffsetCommit, 8, Commit("consumers", member.GenerationId, member.MemberId, "t", 17));
                await client.SendAsync(OffsetCommit, 8, Commit("simple", -1, "", "t", 3));
            }
            await using (var restarted = await SandboxCluster.StartAsync(options, cancellationToken: Ct))
            {
                await using var client = await GroupProtocolClient.ConnectAsync(restarted, 0);
                var listed = (await client.SendAsync(ListGroups, 4, new ListGroupsRequest([], []))).Groups.OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList();
                Assert.Equal(["consumers", "simple"], listed.Select(g => g.GroupId));
                Assert.Equal(["consumer", ""], listed.Select(g => g.ProtocolType));
                Assert.All(listed, g => Assert.Equal("Empty", g.GroupState));
                var fetched = await client.SendAsync(OffsetFetch, 7, new OffsetFetchRequest("consumers", null, [], false));
                Assert.Equal(17, fetched.Topics.Single().Partitions.Single().CommittedOffset);
            }
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
