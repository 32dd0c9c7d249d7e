using System.Diagnostics;
using Confluent.Kafka;
using Kmap.Sandbox;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Bench;

/// <summary>
/// The sandbox's own cost: OffsetCommit, OffsetFetch and Produce throughput, and memory holding
/// 20,000 groups × 10 committed partitions and 1,000 topics × 10 partitions.
/// Targets (issue 3): that state in under 1 GiB; OffsetFetch of all 20,000 groups in under 2 s.
/// </summary>
internal static class SandboxBenchmark
{
    private const int Topics = 1_000;
    private const int PartitionsPerTopic = 10;
    private const int Groups = 20_000;
    private const int PartitionsPerGroup = 10;
    private const int Connections = 4;
    private const int GroupsPerFetch = 200;

    public static async Task<int> RunAsync()
    {
        var before = ManagedBytes();
        var rssBefore = Environment.WorkingSet;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 });
        var connections = new List<PipelinedConnection>();
        for (var i = 0; i < Connections; i++)
        {
            connections.Add(await PipelinedConnection.ConnectAsync(sandbox.BootstrapServers));
        }

        // 1,000 topics × 10 partitions through CreateTopics, 50 topics per request.
        var clock = Stopwatch.StartNew();
        var createRequests = Enumerable.Range(0, Topics / 50).Select(batch => new CreateTopicsRequest(
            Enumerable.Range(batch * 50, 50).Select(t => new CreatableTopic(TopicName(t), PartitionsPerTopic, 1, [], [])).ToList(), 30_000, false));
        await Task.WhenAll(createRequests.Select((request, i) =>
            connections[i % Connections].SendAsync<CreateTopicsRequest, CreateTopicsResponse>(ApiKey.CreateTopics, 5, true, request)));
        var createTime = clock.Elapsed;

        // 20,000 groups × 10 partitions through admin-style OffsetCommit (generation -1, no member), pipelined.
        clock.Restart();
        await ForAllAsync(Groups, connections, async (connection, g) =>
        {
            var topic = TopicName(g % Topics);
            var request = new OffsetCommitRequest(GroupName(g), -1, "", null, -1,
                [new OffsetCommitRequestTopic(topic, Enumerable.Range(0, PartitionsPerGroup).Select(p => new OffsetCommitRequestPartition(p, 1000 + g + p, -1, -1, null)).ToList())]);
            var response = await connection.SendAsync<OffsetCommitRequest, OffsetCommitResponse>(ApiKey.OffsetCommit, 8, true, request);
            if (response.Topics.SelectMany(t => t.Partitions).Any(p => p.ErrorCode != Kmap.Sandbox.Protocol.ErrorCode.None))
            {
                throw new InvalidOperationException($"commit for {GroupName(g)} failed");
            }
        });
        var commitTime = clock.Elapsed;

        var stateBytes = ManagedBytes() - before;
        var rss = Environment.WorkingSet - rssBefore;

        // OffsetFetch of every group, all committed partitions (null topics), multi-group v8 batches.
        clock.Restart();
        var fetchedOffsets = 0L;
        await ForAllAsync(Groups / GroupsPerFetch, connections, async (connection, batch) =>
        {
            var groups = Enumerable.Range(batch * GroupsPerFetch, GroupsPerFetch).Select(g => new OffsetFetchRequestGroup(GroupName(g), null, -1, null)).ToList();
            var response = await connection.SendAsync<OffsetFetchRequest, OffsetFetchResponse>(ApiKey.OffsetFetch, 8, true, new OffsetFetchRequest("", null, groups, false));
            Interlocked.Add(ref fetchedOffsets, response.Groups.Sum(g => g.Topics.Sum(t => t.Partitions.Count)));
        });
        var multiFetchTime = clock.Elapsed;

        // The same with one group per request (v7), as clients without multi-group fetch do.
        clock.Restart();
        var singleFetched = 0L;
        await ForAllAsync(Groups, connections, async (connection, g) =>
        {
            var response = await connection.SendAsync<OffsetFetchRequest, OffsetFetchResponse>(ApiKey.OffsetFetch, 7, true, new OffsetFetchRequest(GroupName(g), null, [], false));
            Interlocked.Add(ref singleFetched, response.Topics.Sum(t => t.Partitions.Count));
        });
        var singleFetchTime = clock.Elapsed;

        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        // Produce throughput with librdkafka, 100-byte values, batched as producers do by default.
        const int Records = 200_000;
        var value = new byte[100];
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers, LingerMs = 5, Acks = Acks.Leader }).Build();
        clock.Restart();
        for (var i = 0; i < Records; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce(new TopicPartition(TopicName(0), i % PartitionsPerTopic), new Message<Null, byte[]> { Value = value });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        var produceTime = clock.Elapsed;

        var expectedOffsets = (long)Groups * PartitionsPerGroup;
        var rows = new List<string[]>
        {
            new[] { "CreateTopics 1,000 × 10 partitions", Format(createTime), $"{Topics / createTime.TotalSeconds:N0} topics/s", "" },
            new[] { "OffsetCommit 20,000 groups × 10", Format(commitTime), $"{Groups / commitTime.TotalSeconds:N0} req/s, {expectedOffsets / commitTime.TotalSeconds:N0} offsets/s", "" },
            new[] { $"OffsetFetch all groups (v8, {GroupsPerFetch}/req)", Format(multiFetchTime), $"{fetchedOffsets:N0} offsets", Check(multiFetchTime < TimeSpan.FromSeconds(2) && fetchedOffsets == expectedOffsets, "< 2 s") },
            new[] { "OffsetFetch all groups (v7, 1/req)", Format(singleFetchTime), $"{singleFetched:N0} offsets", Check(singleFetchTime < TimeSpan.FromSeconds(2) && singleFetched == expectedOffsets, "< 2 s") },
            new[] { "Produce 200,000 × 100 B (librdkafka)", Format(produceTime), $"{Records / produceTime.TotalSeconds:N0} records/s", "" },
            new[] { "State: managed heap after load", $"{stateBytes / 1048576.0:N0} MiB", $"RSS +{rss / 1048576.0:N0} MiB", Check(stateBytes < 1L << 30 && rss < 1L << 30, "< 1 GiB") },
        };
        Table.Print(["sandbox benchmark", "time / size", "rate", "target"], rows);
        return rows.Any(r => r[3].StartsWith("MISSED", StringComparison.Ordinal)) ? 1 : 0;
    }

    private static async Task ForAllAsync(int count, List<PipelinedConnection> connections, Func<PipelinedConnection, int, Task> work)
    {
        // Up to 64 requests in flight per connection, as a pipelining client keeps them.
        using var window = new SemaphoreSlim(64 * connections.Count);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await window.WaitAsync();
            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    await work(connections[index % connections.Count], index);
                }
                finally
                {
                    window.Release();
                }
            }));
        }
        await Task.WhenAll(tasks);
    }

    private static string TopicName(int t) => $"topic-{t:D4}";
    private static string GroupName(int g) => $"group-{g:D5}";
    private static string Format(TimeSpan time) => $"{time.TotalMilliseconds:N0} ms";
    private static string Check(bool met, string target) => met ? $"met ({target})" : $"MISSED ({target})";

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
