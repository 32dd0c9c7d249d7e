using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Groups;
using Kmap.Sandbox.Tests.Support;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Faults;

/// <summary>Injected faults as exact protocol answers, checked with the sandbox's own codec acting as the client.</summary>
public class FaultRawProtocolTests
{
    private static Task<SandboxCluster> StartAsync(string faults, int brokers = 1) =>
        SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = brokers, Faults = FaultSpec.Parse(faults) }, cancellationToken: Ct);

    [Fact]
    public async Task Every_api_that_can_carry_an_error_answers_it_in_its_own_response_at_old_and_new_versions()
    {
        await using var sandbox = await StartAsync("error=1:REQUEST_TIMED_OUT");
        CreateTopic(sandbox, "t", 2);
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var timedOut = ErrorCode.RequestTimedOut;
        var found = 0;

        foreach (var version in new short[] { 1, 5, 8 })
        {
            var fetched = await client.SendAsync(OffsetFetch, version, new OffsetFetchRequest("g", [new OffsetFetchRequestTopic("t", [0, 1])], [new OffsetFetchRequestGroup("g", null, -1, null)], false));
            var codes = version switch
            {
                1 => fetched.Topics.SelectMany(t => t.Partitions).Select(p => p.ErrorCode).ToList(),
                5 => [fetched.ErrorCode],
                _ => fetched.Groups.Select(g => g.ErrorCode).ToList(),
            };
            Assert.NotEmpty(codes);
            Assert.All(codes, c => Assert.Equal(timedOut, c));
            found++;
        }
        foreach (var version in new short[] { 2, 8 })
        {
            var committed = await client.SendAsync(OffsetCommit, version, new OffsetCommitRequest("g", -1, "", null, -1, [new OffsetCommitRequestTopic("t", [new OffsetCommitRequestPartition(0, 5, -1, -1, ""), new OffsetCommitRequestPartition(1, 6, -1, -1, "")])]));
            Assert.Equal([timedOut, timedOut], committed.Topics.Single().Partitions.Select(p => p.ErrorCode));
            found++;
        }
        lock (sandbox.State.Sync)
        {
            Assert.Null(sandbox.State.Groups.Find("g"));
        }
        foreach (var version in new short[] { 2, 4 })
        {
            var coordinator = await client.SendAsync(FindCoordinator, version, new FindCoordinatorRequest("g", 0, ["g", "h"]));
            Assert.All(version >= 4 ? coordinator.Coordinators.Select(c => c.ErrorCode) : [coordinator.ErrorCode], c => Assert.Equal(timedOut, c));
            found++;
        }
        Assert.Equal(timedOut, (await client.SendAsync(JoinGroup, 5, JoinRequest("g", "", topics: "t"))).ErrorCode);
        Assert.Equal(timedOut, (await client.SendAsync(Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null))).ErrorCode);
        Assert.Equal(timedOut, (await client.SendAsync(LeaveGroup, 3, new LeaveGroupRequest("g", "", [new LeaveGroupRequestMember("m", null, null)]))).ErrorCode);
        Assert.Equal(timedOut, (await client.SendAsync(SyncGroup, 5, new SyncGroupRequest("g", 1, "m", null, "consumer", "range", []))).ErrorCode);
        Assert.Equal([timedOut, timedOut], (await client.SendAsync(DescribeGroups, 5, new DescribeGroupsRequest(["g", "h"], false))).Groups.Select(g => g.ErrorCode));
        Assert.Equal(timedOut, (await client.SendAsync(ListGroups, 4, new ListGroupsRequest([], []))).ErrorCode);
        Assert.Equal([timedOut], (await client.SendAsync(DeleteGroups, 2, new DeleteGroupsRequest(["g"]))).Results.Select(r => r.ErrorCode));
        Assert.Equal(timedOut, (await client.SendAsync(OffsetDelete, 0, new OffsetDeleteRequest("g", [new OffsetDeleteRequestTopic("t", [0])]))).ErrorCode);
        var listed = await client.SendAsync(new ListOffsetsHandler(), 7, new ListOffsetsRequest(-1, 0, [new ListOffsetsTopic("t", [new ListOffsetsPartition(1, -1, -1, 1)])]));
        Assert.Equal(timedOut, listed.Topics.Single().Partitions.Single().ErrorCode);
        var produced = await client.SendAsync(new ProduceHandler(), 9, new ProduceRequest(null, -1, 1000, [new ProduceTopicData("t", [new ProducePartitionData(0, RecordBatchBuilder.Build([(null, [1], 0)]))])]));
        Assert.Equal(timedOut, produced.Responses.Single().Partitions.Single().ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(0, sandbox.State.FindPartition("t", 0)!.HighWatermark);
        }

        Assert.Equal(found + 10, sandbox.Faults.Counters.TotalErrors);
        Assert.Equal(3, sandbox.Faults.Counters.Errors(ApiKey.OffsetFetch));
    }

    [Fact]
    public async Task The_same_seed_faults_the_same_requests_and_about_the_asked_fraction()
    {
        async Task<List<bool>> PatternAsync(int seed)
        {
            await using var sandbox = await StartAsync($"seed={seed};error=0.3:NOT_COORDINATOR@Heartbeat");
            await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
            List<bool> pattern = [];
            for (var i = 0; i < 300; i++)
            {
                var answer = await client.SendAsync(Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null));
                // Unfaulted heartbeats of an unknown group get the coordinator's own answer, never NOT_COORDINATOR.
                pattern.Add(answer.ErrorCode == ErrorCode.NotCoordinator);
            }
            Assert.Equal(pattern.Count(f => f), sandbox.Faults.Counters.Errors(ApiKey.Heartbeat));
            Assert.Equal(300, sandbox.Faults.Counters.Requests(ApiKey.Heartbeat));
            return pattern;
        }

        var first = await PatternAsync(7);
        var again = await PatternAsync(7);
        var other = await PatternAsync(8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.InRange(first.Count(f => f), 60, 120);
    }

    [Fact]
    public async Task Drop_after_answers_n_requests_then_closes_the_connection_unanswered()
    {
        await using var sandbox = await StartAsync("drop-after=3@Heartbeat");
        await using var raw = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        for (var i = 0; i < 3; i++)
        {
            var reader = await raw.SendAsync(ApiKey.Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null), flexible: true, Ct);
            Assert.NotEqual(ErrorCode.None, HeartbeatResponse.Read(reader, 4).ErrorCode);
        }
        // Other APIs are not counted.
        await raw.SendAsync(ApiKey.ApiVersions, 0, new ApiVersionsRequest(null, null), flexible: false, Ct);

        await Assert.ThrowsAsync<IOException>(() => raw.SendAsync(ApiKey.Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null), flexible: true, Ct));
        Assert.Equal(1, sandbox.Faults.Counters.Drops);
    }

    [Fact]
    public async Task A_request_stalled_forever_is_answered_when_released_and_rules_can_change_at_run_time()
    {
        await using var sandbox = await StartAsync("");
        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        sandbox.Faults.Apply(FaultSpec.Parse("stall=forever@Heartbeat"));

        var heartbeat = client.SendAsync(Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null));
        await EventuallyAsync(() => Task.FromResult(sandbox.Faults.Counters.Stalls(ApiKey.Heartbeat) == 1), TimeSpan.FromSeconds(10), "the heartbeat to be held");
        Assert.False(heartbeat.IsCompleted);

        sandbox.Faults.Clear();
        var answer = await heartbeat.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(ErrorCode.UnknownMemberId, answer.ErrorCode);
        // Cleared: the next one is not held.
        Assert.Equal(ErrorCode.UnknownMemberId, (await client.SendAsync(Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null)).WaitAsync(TimeSpan.FromSeconds(10), Ct)).ErrorCode);
        Assert.Equal(1, sandbox.Faults.Counters.Stalls(ApiKey.Heartbeat));
    }

    [Fact]
    public async Task Moving_coordinators_makes_the_old_coordinator_answer_not_coordinator()
    {
        await using var sandbox = await StartAsync("", brokers: 3);
        CreateTopic(sandbox, "t", 1);
        await using (var before = await ConnectToCoordinatorAsync(sandbox, "g"))
        {
            var commit = new OffsetCommitRequest("g", -1, "", null, -1, [new OffsetCommitRequestTopic("t", [new OffsetCommitRequestPartition(0, 5, -1, -1, "")])]);
            Assert.Equal(ErrorCode.None, (await before.SendAsync(OffsetCommit, 8, commit)).Topics[0].Partitions[0].ErrorCode);
            var oldId = sandbox.State.CoordinatorFor("g").Id;

            sandbox.MoveCoordinators();

            Assert.NotEqual(oldId, sandbox.State.CoordinatorFor("g").Id);
            Assert.Equal(ErrorCode.NotCoordinator, (await before.SendAsync(OffsetCommit, 8, commit)).Topics[0].Partitions[0].ErrorCode);
        }
        await using var after = await ConnectToCoordinatorAsync(sandbox, "g");
        var fetched = await after.SendAsync(OffsetFetch, 8, new OffsetFetchRequest("", null, [new OffsetFetchRequestGroup("g", null, -1, null)], false));
        Assert.Equal(5, fetched.Groups.Single().Topics.Single().Partitions.Single().CommittedOffset);
    }

    [Fact]
    public async Task A_timetabled_outage_stops_the_broker_and_restarts_it_on_the_same_port_and_coordinators_move_on_a_timer()
    {
        await using var sandbox = await StartAsync("down=1:0-3000;move-coordinators=50", brokers: 3); // 3 s: a busy CI machine must still see the outage
        var port = sandbox.State.Brokers[1].Port;

        await EventuallyAsync(() => Task.FromResult(!sandbox.IsRunning(1)), TimeSpan.FromSeconds(10), "broker 1 to stop");
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => GroupProtocolClient.ConnectAsync(sandbox, 1));
        await EventuallyAsync(() => Task.FromResult(sandbox.IsRunning(1)), TimeSpan.FromSeconds(10), "broker 1 to restart");
        await using (var client = await GroupProtocolClient.ConnectAsync(sandbox, 1))
        {
            Assert.Equal(port, sandbox.State.Brokers[1].Port);
            Assert.NotEqual(ErrorCode.None, (await client.SendAsync(Heartbeat, 4, new HeartbeatRequest("g", 1, "m", null))).ErrorCode);
        }
        await EventuallyAsync(() => Task.FromResult(sandbox.State.CoordinatorShift >= 2), TimeSpan.FromSeconds(10), "coordinators to move twice");
    }
}
