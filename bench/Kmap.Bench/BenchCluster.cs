using Kmap.Core.Config;
using Kmap.Kafka;
using Kmap.Sandbox;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Bench;

/// <summary>
/// A sandbox with injected latency, loaded with <c>groups</c> consumer groups, each with committed
/// offsets on <c>partitions</c> partitions of one of 50 topics: the cluster every client of a run reads.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    public const int Topics = 50;
    public const int PartitionsPerTopic = 10;

    private BenchCluster(SandboxCluster sandbox, int groups, int partitions, Func<int, int, long> offsetOf)
    {
        Sandbox = sandbox;
        Groups = groups;
        Partitions = partitions;
        this.offsetOf = offsetOf;
    }

    private readonly Func<int, int, long> offsetOf;

    public SandboxCluster Sandbox { get; }
    public int Groups { get; }
    public int Partitions { get; }
    public long Offsets => (long)Groups * Partitions;
    public string BootstrapServers => Sandbox.BootstrapServers;

    public static string TopicName(int t) => $"topic-{t:D2}";
    public static string GroupName(int g) => $"group-{g:D6}";
    public static long OffsetOf(int group, int partition) => 1_000 + group + partition;

    /// <summary>Records in every partition of a cluster started with records (restores need offsets inside the log).</summary>
    public const int RecordsPerPartition = 50;

    /// <summary>
    /// The offset a restore benchmark writes: inside the log, different from <see cref="OffsetOf"/> and, for two
    /// variants, different from each other, so a read-back sees the restore and not what was there before.
    /// </summary>
    public static long RestoredOffsetOf(int group, int partition, int variant) => ((group + (3L * partition) + variant) % RecordsPerPartition) + 1;

    /// <param name="offsetOf">The offset each group commits on each partition (default <see cref="OffsetOf"/>).</param>
    public static async Task<BenchCluster> StartAsync(int groups, int partitions, TimeSpan latency, int brokers, bool withRecords = false,
        Func<int, int, long>? offsetOf = null)
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = brokers, Latency = latency });
        var cluster = new BenchCluster(sandbox, groups, partitions, offsetOf ?? OffsetOf);
        await cluster.LoadAsync();
        if (withRecords)
        {
            await cluster.ProduceRecordsAsync();
        }
        return cluster;
    }

    /// <summary><see cref="RecordsPerPartition"/> records in every partition of every topic, through a real producer.</summary>
    private async Task ProduceRecordsAsync()
    {
        using var writer = new KafkaRecordWriter(new ConnectionSettings { BootstrapServers = BootstrapServers });
        var now = DateTimeOffset.UtcNow;
        var sent = new List<Task>(Topics * PartitionsPerTopic * RecordsPerPartition);
        for (var t = 0; t < Topics; t++)
        {
            for (var p = 0; p < PartitionsPerTopic; p++)
            {
                for (var r = 0; r < RecordsPerPartition; r++)
                {
                    sent.Add(writer.ProduceAsync(TopicName(t), p, null, [(byte)r], now, CancellationToken.None));
                }
            }
        }
        await Task.WhenAll(sent);
    }

    /// <summary>Every group of the cluster, asked of each broker one after another, as the Go tool did (ListGroups v4).</summary>
    public static async Task<List<string>> ListGroupsOneBrokerAtATimeAsync(Dictionary<int, PipelinedConnection> connections)
    {
        var groups = new List<string>();
        foreach (var connection in connections.Values)
        {
            var listed = await connection.SendAsync<ListGroupsRequest, ListGroupsResponse>(ApiKey.ListGroups, 4, true, new ListGroupsRequest([], []));
            groups.AddRange(listed.Groups.Select(g => g.GroupId));
        }
        return groups;
    }

    public async Task<Dictionary<int, PipelinedConnection>> ConnectAllAsync()
    {
        var connections = new Dictionary<int, PipelinedConnection>();
        foreach (var broker in Sandbox.State.Brokers)
        {
            connections[broker.Id] = await PipelinedConnection.ConnectAsync($"{broker.Host}:{broker.Port}");
        }
        return connections;
    }

    private async Task LoadAsync()
    {
        var connections = await ConnectAllAsync();
        try
        {
            var first = connections.Values.First();
            var create = new CreateTopicsRequest(
                Enumerable.Range(0, Topics).Select(t => new CreatableTopic(TopicName(t), PartitionsPerTopic, 1, [], [])).ToList(), 30_000, false);
            await first.SendAsync<CreateTopicsRequest, CreateTopicsResponse>(ApiKey.CreateTopics, 5, true, create);
            // Admin-style commits (generation -1, no member) to each group's coordinator, many in flight.
            using var window = new SemaphoreSlim(256);
            var tasks = new List<Task>(Groups);
            for (var g = 0; g < Groups; g++)
            {
                await window.WaitAsync();
                var group = g;
                tasks.Add(Task.Run(async () =>
                {
                    try
                    {
                        var name = GroupName(group);
                        var connection = connections[Sandbox.State.CoordinatorFor(name).Id];
                        var request = new OffsetCommitRequest(name, -1, "", null, -1,
                            [new OffsetCommitRequestTopic(TopicName(group % Topics), Enumerable.Range(0, Partitions).Select(p => new OffsetCommitRequestPartition(p, offsetOf(group, p), -1, -1, null)).ToList())]);
                        var response = await connection.SendAsync<OffsetCommitRequest, OffsetCommitResponse>(ApiKey.OffsetCommit, 8, true, request);
                        if (response.Topics.SelectMany(t => t.Partitions).Any(p => p.ErrorCode != ErrorCode.None))
                        {
                            throw new InvalidOperationException($"loading the bench cluster: commit for {name} failed");
                        }
                    }
                    finally
                    {
                        window.Release();
                    }
                }));
            }
            await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }
        }
    }

    public ValueTask DisposeAsync() => Sandbox.DisposeAsync();
}
