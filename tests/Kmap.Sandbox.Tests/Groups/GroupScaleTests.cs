using System.Diagnostics;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

public class GroupScaleTests(ITestOutputHelper output)
{
    private const int GroupCount = 20_000;
    private const int PartitionCount = 10;
    private const int Connections = 8;

    [Fact]
    public async Task Twenty_thousand_groups_with_ten_offsets_each_are_all_fetched_back()
    {
        await using var sandbox = await SandboxCluster.StartAsync(cancellationToken: Ct);
        CreateTopic(sandbox, "big", PartitionCount);
        var clients = await Task.WhenAll(Enumerable.Range(0, Connections).Select(_ => GroupProtocolClient.ConnectAsync(sandbox, 0)));
        try
        {
            var partitions = Enumerable.Range(0, PartitionCount).ToList();
            var commit = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                for (var g = c; g < GroupCount; g += Connections)
                {
                    var response = await client.SendAsync(OffsetCommit, 8, new OffsetCommitRequest($"group-{g}", -1, "", null, -1,
                        [new OffsetCommitRequestTopic("big", partitions.Select(p => new OffsetCommitRequestPartition(p, g + p, -1, -1, null)).ToList())]));
                    Assert.All(response.Topics[0].Partitions, p => Assert.Equal(ErrorCode.None, p.ErrorCode));
                }
            }, Ct)));
            commit.Stop();

            // As librdkafka's ListConsumerGroupOffsets does: one group per request, all partitions (null topics).
            var fetch = Stopwatch.StartNew();
            var fetched = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                var offsets = 0;
                for (var g = c; g < GroupCount; g += Connections)
                {
                    var response = await client.SendAsync(OffsetFetch, 8, new OffsetFetchRequest("", null, [new OffsetFetchRequestGroup($"group-{g}", null, -1, null)], false));
                    var topic = response.Groups.Single().Topics.Single();
                    Assert.Equal(g + 3, topic.Partitions[3].CommittedOffset);
                    offsets += topic.Partitions.Count;
                }
                return offsets;
            }, Ct)));
            fetch.Stop();

            output.WriteLine($"committed {GroupCount}x{PartitionCount} offsets in {commit.ElapsedMilliseconds} ms; fetched them in {fetch.ElapsedMilliseconds} ms over {Connections} connections");
            Assert.Equal(GroupCount * PartitionCount, fetched.Sum());
            // The 2 s target is checked by bench/run.sh sandbox, not here: timing on a shared CI machine is no test.
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
