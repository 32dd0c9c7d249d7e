using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.Config;

namespace Kmap.Kafka;

/// <summary>Creates topics with the cluster's default replication factor (restore's --create-missing-topics).</summary>
public sealed class KafkaTopicCreator(ConnectionSettings settings, TimeSpan? timeout = null) : ITopicCreator
{
    public async Task<IReadOnlyList<GroupResult>> CreateTopicsAsync(IReadOnlyDictionary<string, int> partitionCounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(partitionCounts);
        if (partitionCounts.Count == 0)
        {
            return [];
        }
        using var admin = new AdminClientBuilder(KafkaClientConfig.ForAdmin(settings)).Build();
        var specs = partitionCounts.Select(t => new TopicSpecification { Name = t.Key, NumPartitions = t.Value, ReplicationFactor = -1 }).ToList();
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = timeout ?? TimeSpan.FromSeconds(30) });
            return partitionCounts.Keys.Select(t => new GroupResult(t, null)).ToList();
        }
        catch (CreateTopicsException e)
        {
            return e.Results.Select(r => new GroupResult(r.Topic, r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists ? r.Error.Reason : null)).ToList();
        }
        catch (KafkaException e)
        {
            throw new ClusterException($"cannot create topics on {settings.BootstrapServers}: {e.Error.Reason}", e);
        }
    }
}
