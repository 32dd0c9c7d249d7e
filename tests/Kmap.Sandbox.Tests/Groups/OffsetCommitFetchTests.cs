using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

public class OffsetCommitFetchTests
{
    private static OffsetCommitRequest AdminCommit(string groupId, string topic, params (int Partition, long Offset)[] offsets) =>
        new(groupId, -1, "", null, -1,
            [new OffsetCommitRequestTopic(topic, offsets.Select(o => new OffsetCommitRequestPartition(o.Partition, o.Offset, 7, -1, "meta-" + o.Partition)).ToList())]);

    [Fact]
    public async Task Admin_commit_creates_an_empty_group_and_stores_any_offset()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        CreateTopic(sandbox, "orders", 3);
        await using var client = await ConnectToCoordinatorAsync(sandbox, "restored");

        // Far past the end of an empty log: Kafka stores it without a range check.
        var committed = await client.SendAsync(OffsetCommit, 9, AdminCommit("restored", "orders", (0, 1_000_000), (2, 5)));
        Assert.All(committed.Topics.Single().Partitions, p => Assert.Equal(ErrorCode.None, p.ErrorCode));

        var listed = await client.SendAsync(ListGroups, 5, new ListGroupsRequest([], []));
        var group = Assert.Single(listed.Groups, g => g.GroupId == "restored");
        Assert.Equal("Empty", group.GroupState);
        Assert.Equal("", group.ProtocolType);
        Assert.Equal("classic", group.GroupType);

        var all = await client.SendAsync(OffsetFetch, 7, new OffsetFetchRequest("restored", null, [], true));
        Assert.Equal(ErrorCode.None, all.ErrorCode);
        var partitions = all.Topics.Single(t => t.Name == "orders").Partitions;
        Assert.Equal([0, 2], partitions.Select(p => p.PartitionIndex));
        Assert.Equal([1_000_000L, 5L], partitions.Select(p => p.CommittedOffset));
        Assert.All(partitions, p => Assert.Equal(7, p.CommittedLeaderEpoch));
        Assert.Equal("meta-0", partitions[0].Metadata);

        lock (sandbox.State.Sync)
        {
            var stored = sandbox.State.Groups.Find("restored")!.Committed("orders", 0)!.Value;
            Assert.InRange(stored.CommitTimestampMs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }

    [Fact]
    public async Task Fetch_answers_minus_one_for_partitions_without_a_commit_and_nothing_for_unknown_groups()
    {
        // OffsetFetch v0 is gone from Kafka 4 (KIP-896): a 3.9 broker still has it.
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { KafkaVersion = "3.9" }, cancellationToken: Ct);
        CreateTopic(sandbox, "orders", 3);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await client.SendAsync(OffsetCommit, 2, AdminCommit("g", "orders", (1, 42)));

        var asked = await client.SendAsync(OffsetFetch, 5, new OffsetFetchRequest("g", [new OffsetFetchRequestTopic("orders", [0, 1])], [], false));
        Assert.Equal([-1L, 42L], asked.Topics.Single().Partitions.Select(p => p.CommittedOffset));
        Assert.All(asked.Topics.Single().Partitions, p => Assert.Equal(ErrorCode.None, p.ErrorCode));

        var unknownAll = await client.SendAsync(OffsetFetch, 6, new OffsetFetchRequest("nobody", null, [], false));
        Assert.Equal(ErrorCode.None, unknownAll.ErrorCode);
        Assert.Empty(unknownAll.Topics);

        // v0 came from ZooKeeper in Kafka: a missing offset there is UNKNOWN_TOPIC_OR_PARTITION.
        var v0 = await client.SendAsync(OffsetFetch, 0, new OffsetFetchRequest("g", [new OffsetFetchRequestTopic("orders", [0, 1])], [], false));
        Assert.Equal([ErrorCode.UnknownTopicOrPartition, ErrorCode.None], v0.Topics.Single().Partitions.Select(p => p.ErrorCode));
    }

    [Fact]
    public async Task Multi_group_fetch_answers_per_group()
    {
        await using var sandbox = await SandboxCluster.StartAsync(cancellationToken: Ct);
        CreateTopic(sandbox, "t", 2);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        await client.SendAsync(OffsetCommit, 8, AdminCommit("a", "t", (0, 1), (1, 2)));
        await client.SendAsync(OffsetCommit, 8, AdminCommit("b", "t", (1, 9)));

        var fetched = await client.SendAsync(OffsetFetch, 9, new OffsetFetchRequest("", null,
            [new OffsetFetchRequestGroup("a", null, -1, null), new OffsetFetchRequestGroup("b", null, -1, [new OffsetFetchRequestTopic("t", [0, 1])]), new OffsetFetchRequestGroup("c", null, -1, null)], false));

        Assert.Equal(["a", "b", "c"], fetched.Groups.Select(g => g.GroupId));
        Assert.Equal([1L, 2L], fetched.Groups[0].Topics.Single().Partitions.Select(p => p.CommittedOffset));
        Assert.Equal([-1L, 9L], fetched.Groups[1].Topics.Single().Partitions.Select(p => p.CommittedOffset));
        Assert.Empty(fetched.Groups[2].Topics);
    }

    [Fact]
    public async Task Unknown_topic_fails_only_its_own_partitions()
    {
        await using var sandbox = await SandboxCluster.StartAsync(cancellationToken: Ct);
        CreateTopic(sandbox, "real", 1);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var response = await client.SendAsync(OffsetCommit, 7, new OffsetCommitRequest("g", -1, "", null, -1,
        [
            new OffsetCommitRequestTopic("real", [new OffsetCommitRequestPartition(0, 3, -1, -1, null), new OffsetCommitRequestPartition(5, 3, -1, -1, null)]),
            new OffsetCommitRequestTopic("missing", [new OffsetCommitRequestPartition(0, 3, -1, -1, null)]),
        ]));
        Assert.Equal([ErrorCode.None, ErrorCode.UnknownTopicOrPartition], response.Topics[0].Partitions.Select(p => p.ErrorCode));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, response.Topics[1].Partitions.Single().ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(1, sandbox.State.Groups.Find("g")!.CommittedPartitionCount);
        }
    }

    [Fact]
    public async Task Group_requests_to_a_broker_that_is_not_the_coordinator_get_NOT_COORDINATOR()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        CreateTopic(sandbox, "t", 1);
        const string groupId = "wanderer";
        var coordinatorId = sandbox.State.CoordinatorFor(groupId).Id;
        var wrongId = (coordinatorId + 1) % 3;
        await using var wrong = await GroupProtocolClient.ConnectAsync(sandbox, wrongId);

        var found = await wrong.SendAsync(FindCoordinator, 4, new FindCoordinatorRequest("", 0, [groupId]));
        Assert.Equal(coordinatorId, found.Coordinators.Single().NodeId);
        var foundOld = await wrong.SendAsync(FindCoordinator, 0, new FindCoordinatorRequest(groupId, 0, []));
        Assert.Equal(coordinatorId, foundOld.NodeId);

        var commit = await wrong.SendAsync(OffsetCommit, 9, AdminCommit(groupId, "t", (0, 1)));
        Assert.Equal(ErrorCode.NotCoordinator, commit.Topics.Single().Partitions.Single().ErrorCode);
        var fetch = await wrong.SendAsync(OffsetFetch, 7, new OffsetFetchRequest(groupId, null, [], false));
        Assert.Equal(ErrorCode.NotCoordinator, fetch.ErrorCode);
        var join = await wrong.SendAsync(JoinGroup, 5, JoinRequest(groupId, "", topics: "t"));
        Assert.Equal(ErrorCode.NotCoordinator, join.ErrorCode);
        var heartbeat = await wrong.SendAsync(Heartbeat, 3, new HeartbeatRequest(groupId, 1, "m", null));
        Assert.Equal(ErrorCode.NotCoordinator, heartbeat.ErrorCode);
        var describe = await wrong.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest([groupId], false));
        Assert.Equal(ErrorCode.NotCoordinator, describe.Groups.Single().ErrorCode);
        var delete = await wrong.SendAsync(DeleteGroups, 2, new DeleteGroupsRequest([groupId]));
        Assert.Equal(ErrorCode.NotCoordinator, delete.Results.Single().ErrorCode);

        await using var right = await GroupProtocolClient.ConnectAsync(sandbox, coordinatorId);
        var ok = await right.SendAsync(OffsetCommit, 9, AdminCommit(groupId, "t", (0, 1)));
        Assert.Equal(ErrorCode.None, ok.Topics.Single().Partitions.Single().ErrorCode);
        // Each broker lists only the groups it coordinates; clients ask them all.
        Assert.DoesNotContain((await wrong.SendAsync(ListGroups, 3, new ListGroupsRequest([], []))).Groups, g => g.GroupId == groupId);
        Assert.Contains((await right.SendAsync(ListGroups, 3, new ListGroupsRequest([], []))).Groups, g => g.GroupId == groupId);
    }
}
