using Confluent.Kafka;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;

namespace Kmap.Kafka.DescribeLogDirs;

/// <summary>
/// Topic sizes from every broker's DescribeLogDirs: the leader replica's bytes (one copy of the data)
/// and the bytes of all replicas (what the topic costs on disk). Future replicas (moves between log
/// directories in progress) are left out, as kafka-log-dirs.sh users expect.
/// </summary>
public sealed class TopicSizeReader(KafkaAdmin admin, ConnectionSettings settings)
{
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
        var perBroker = await Task.WhenAll(metadata.Brokers.Select(async b =>
        {
            var name = $"{b.Host}:{b.Port}";
            await using var connection = await BrokerConnection.OpenAsync(b.Host, b.Port, settings, cancellationToken);
            try
            {
                return (Broker: b.BrokerId, Sizes: await DescribeLogDirsClient.DescribeAsync(connection, request, name, cancellationToken));
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                throw new ClusterException($"DescribeLogDirs failed on broker {b.BrokerId} ({name}): {e.Message}", e);
            }
        }));
        var leaders = wanted.Values
            .SelectMany(t => t.Partitions.Select(p => (t.Topic, p.PartitionId, p.Leader)))
            .ToDictionary(x => (x.Topic, x.PartitionId), x => x.Leader);
        var result = new List<TopicSize>();
        foreach (var topic in wanted.Values)
        {
            var replicas = perBroker
                .SelectMany(b => b.Sizes.Where(s => s.Topic == topic.Topic && !s.IsFuture).Select(s => (b.Broker, s)))
                .ToList();
            var leaderBytes = replicas.Where(r => leaders.TryGetValue((r.s.Topic, r.s.Partition), out var leader) && leader == r.Broker).Sum(r => r.s.SizeBytes);
            result.Add(new TopicSize(topic.Topic, topic.Partitions.Count, leaderBytes, replicas.Sum(r => r.s.SizeBytes)));
        }
        return TopicSize.LargestFirst(result);
    }
}
