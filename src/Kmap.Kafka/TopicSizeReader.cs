using System.Collections.Concurrent;
using Confluent.Kafka;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Kafka.Wire;

namespace Kmap.Kafka;

/// <summary>
/// Topic sizes from every broker's DescribeLogDirs (<see cref="WireDescribeLogDirs"/>, over kmap's one hand-written
/// connection: TLS, SASL PLAIN/SCRAM): the leader replica's bytes (one copy of the data) and the bytes of all replicas
/// (what the topic costs on disk). Future replicas (moves between log directories in progress) are left out, as
/// kafka-log-dirs.sh users expect. Each broker is retried as the offsets requests are (<see cref="WireRetry"/>): a cut
/// or stalled connection reconnects with backoff until the admin client's deadline, then the reading fails naming
/// that broker; refused credentials or certificates and a log directory's error fail at once.
/// </summary>
public sealed class TopicSizeReader(KafkaAdmin admin, ConnectionSettings settings)
{
    /// <summary>The DescribeLogDirs version each broker was found to speak (ApiVersions is asked once per broker).</summary>
    private readonly ConcurrentDictionary<WireBroker, short> versions = new();

    /// <summary>Sizes of the given topics (all when null), largest first.</summary>
    public async Task<IReadOnlyList<TopicSize>> ReadAsync(IReadOnlyCollection<string>? topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        Metadata metadata;
        try
        {
            metadata = admin.Client.GetMetadata(admin.Timeout);
        }
        catch (KafkaException e)
        {
            throw new ClusterException($"cannot read the metadata of {settings.BootstrapServers}: {e.Error.Reason}", e);
        }
        var wanted = metadata.Topics
            .Where(t => !t.Error.IsError && (topics is null || topics.Contains(t.Topic)))
            .ToDictionary(t => t.Topic, StringComparer.Ordinal);
        var request = topics is null
            ? null
            : wanted.Values.ToDictionary(t => t.Topic, t => (IReadOnlyList<int>)t.Partitions.Select(p => p.PartitionId).ToList(), StringComparer.Ordinal);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(admin.Timeout);
        var perBroker = await Task.WhenAll(metadata.Brokers.Select(async b =>
            (Broker: b.BrokerId, Sizes: await DescribeAsync(new WireBroker(b.BrokerId, b.Host, b.Port), request, overall.Token, cancellationToken))));
        var leaders = wanted.Values
            .SelectMany(t => t.Partitions.Select(p => (t.Topic, p.PartitionId, p.Leader)))
            .ToDictionary(x => (x.Topic, x.PartitionId), x => x.Leader);
        // One pass over every replica, grouped by topic: thousands of topics stay linear.
        var replicasByTopic = perBroker
            .SelectMany(b => b.Sizes.Where(s => !s.IsFuture).Select(s => (b.Broker, Size: s)))
            .ToLookup(r => r.Size.Topic, StringComparer.Ordinal);
        var result = new List<TopicSize>();
        foreach (var topic in wanted.Values)
        {
            var replicas = replicasByTopic[topic.Topic].ToList();
            var leaderBytes = replicas.Where(r => leaders.TryGetValue((r.Size.Topic, r.Size.Partition), out var leader) && leader == r.Broker).Sum(r => r.Size.SizeBytes);
            result.Add(new TopicSize(topic.Topic, topic.Partitions.Count, leaderBytes, replicas.Sum(r => r.Size.SizeBytes)));
        }
        return TopicSize.LargestFirst(result);
    }

    /// <summary>One broker's replica sizes, retried on cut or stalled connections until the overall deadline.</summary>
    private Task<IReadOnlyList<ReplicaSize>> DescribeAsync(WireBroker broker, IReadOnlyDictionary<string, IReadOnlyList<int>>? request,
        CancellationToken overall, CancellationToken caller) =>
        WireBrokerRetry.RunAsync<IReadOnlyList<ReplicaSize>>(broker, async deadline =>
        {
            using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(broker, settings, ct), deadline);
            if (!versions.TryGetValue(broker, out var version))
            {
                var offered = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(connection, ct), deadline);
                version = WireDescribeLogDirs.VersionFor(offered.Max(WireDescribeLogDirs.Key));
                if (version < 0)
                {
                    throw new ClusterException($"{broker} does not serve DescribeLogDirs (Kafka 1.0 and later do), so kmap cannot read its topic sizes");
                }
                versions[broker] = version;
            }
            return (await WireRetry.WithRequestTimeout(ct => WireDescribeLogDirs.DescribeAsync(connection, version, request, ct), deadline), null);
        }, "cannot read the log directories of", "Check that broker and run kmap again", overall, caller, admin.RetryNotice);
}
