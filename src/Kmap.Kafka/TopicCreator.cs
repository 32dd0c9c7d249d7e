using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;

namespace Kmap.Kafka;

/// <summary>CreateTopics over Confluent.Kafka, one result per topic (an existing topic is reported, not thrown).</summary>
public sealed class TopicCreator(KafkaAdmin admin) : ITopicCreator
{
    public async Task<IReadOnlyList<TopicCreateResult>> CreateTopicsAsync(IReadOnlyList<TopicSpec> topics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0)
        {
            return [];
        }
        var specifications = topics.Select(t => new TopicSpecification
        {
            Name = t.Name,
            NumPartitions = t.Partitions,
            ReplicationFactor = checked((short)t.ReplicationFactor),
            Configs = t.Configs.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal),
        }).ToList();
        try
        {
            await admin.Client.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = admin.Timeout, OperationTimeout = admin.Timeout });
            return topics.Select(t => new TopicCreateResult(t.Name, null)).ToList();
        }
        catch (CreateTopicsException e)
        {
            return e.Results.Select(r => r.Error.Code == ErrorCode.TopicAlreadyExists
                ? new TopicCreateResult(r.Topic, r.Error.Reason) { AlreadyExists = true }
                : new TopicCreateResult(r.Topic, r.Error.IsError ? r.Error.Reason : null)).ToList();
        }
        catch (KafkaException e)
        {
            throw new ClusterException($"cannot create topics: {e.Error.Reason} (check the brokers, the security protocol and credentials)", e);
        }
    }
}
