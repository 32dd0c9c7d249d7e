using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>Shortcuts for the group tests: topics, consumer-protocol bytes, joining a group the way librdkafka does.</summary>
public static class GroupTestSupport
{
    public static readonly OffsetCommitHandler OffsetCommit = new();
    public static readonly OffsetFetchHandler OffsetFetch = new();
    public static readonly FindCoordinatorHandler FindCoordinator = new();
    public static readonly JoinGroupHandler JoinGroup = new();
    public static readonly SyncGroupHandler SyncGroup = new();
    public static readonly HeartbeatHandler Heartbeat = new();
    public static readonly LeaveGroupHandler LeaveGroup = new();
    public static readonly ListGroupsHandler ListGroups = new();
    public static readonly DescribeGroupsHandler DescribeGroups = new();
    public static readonly DeleteGroupsHandler DeleteGroups = new();
    public static readonly OffsetDeleteHandler OffsetDelete = new();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static void CreateTopic(SandboxCluster sandbox, string name, int partitions)
    {
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic(name, partitions, 1);
        }
    }

    /// <summary>A consumer-protocol subscription (v0): int16 version, topic array, null user data.</summary>
    public static byte[] Subscription(params string[] topics)
    {
        var writer = new KafkaWriter();
        writer.Int16(0);
        writer.Array(topics, (w, t) => w.String(t));
        writer.NullableBytes(null);
        return writer.ToArray();
    }

    /// <summary>Connects to the broker that coordinates <paramref name="groupId"/>, found with FindCoordinator.</summary>
    public static async Task<GroupProtocolClient> ConnectToCoordinatorAsync(SandboxCluster sandbox, string groupId, string clientId = "group-test-client")
    {
        await using var any = await GroupProtocolClient.ConnectAsync(sandbox, 0, clientId);
        var found = await any.SendAsync(FindCoordinator, 2, new FindCoordinatorRequest(groupId, 0, []));
        Assert.Equal(ErrorCode.None, found.ErrorCode);
        return await GroupProtocolClient.ConnectAsync($"{found.Host}:{found.Port}", clientId);
    }

    public static JoinGroupRequest JoinRequest(string groupId, string memberId, int sessionTimeoutMs = 10_000, int rebalanceTimeoutMs = 10_000, string? instanceId = null, params string[] topics) =>
        new(groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, instanceId, "consumer",
            [new JoinGroupRequestProtocol("range", Subscription(topics))], null);

    /// <summary>JoinGroup v5 as librdkafka sends it: the first attempt gets MEMBER_ID_REQUIRED and a member id to rejoin with.</summary>
    public static async Task<JoinGroupResponse> JoinAsync(GroupProtocolClient client, string groupId, int sessionTimeoutMs = 10_000, string? instanceId = null, params string[] topics)
    {
        var first = await client.SendAsync(JoinGroup, 5, JoinRequest(groupId, "", sessionTimeoutMs, 10_000, instanceId, topics));
        if (instanceId is not null)
        {
            return first;
        }
        Assert.Equal(ErrorCode.MemberIdRequired, first.ErrorCode);
        Assert.NotEmpty(first.MemberId);
        return await client.SendAsync(JoinGroup, 5, JoinRequest(groupId, first.MemberId, sessionTimeoutMs, 10_000, null, topics));
    }

    public static async Task<GroupState> StateAsync(GroupProtocolClient coordinator, string groupId)
    {
        var described = await coordinator.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest([groupId], false));
        return Enum.Parse<GroupState>(described.Groups.Single().GroupState);
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>. Polls every 10 ms; the deadline, not the interval, bounds the wait.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout} waiting for {what}");
            await Task.Delay(10, Ct);
        }
    }
}
