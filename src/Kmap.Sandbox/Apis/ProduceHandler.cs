using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// Produce v3–13 (flexible from v9). v3 is the first version that carries record batch v2 only; v11 and v12 are
/// v10 again (KIP-890 error codes); v13 names each topic by its id instead of its name (KIP-516).
/// </summary>
public sealed record ProduceRequest(string? TransactionalId, short Acks, int TimeoutMs, IReadOnlyList<ProduceTopicData> Topics) : IKafkaMessage<ProduceRequest>
{
    public static ProduceRequest Read(KafkaReader reader, short version)
    {
        var transactionalId = reader.NullableString();
        var acks = reader.Int16();
        var timeout = reader.Int32();
        var topics = reader.Array(t =>
        {
            var name = version <= 12 ? t.String() : "";
            var topicId = version >= 13 ? t.Uuid() : Guid.Empty;
            var partitions = t.Array(p =>
            {
                var data = new ProducePartitionData(p.Int32(), p.NullableBytes());
                p.TaggedFields();
                return data;
            });
            t.TaggedFields();
            return new ProduceTopicData(name, partitions) { TopicId = topicId };
        });
        reader.TaggedFields();
        return new ProduceRequest(transactionalId, acks, timeout, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.NullableString(TransactionalId);
        writer.Int16(Acks);
        writer.Int32(TimeoutMs);
        writer.Array(Topics, (t, topic) =>
        {
            if (version <= 12)
            {
                t.String(topic.Name);
            }
            else
            {
                t.Uuid(topic.TopicId);
            }
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.Index);
                p.NullableBytes(partition.Records);
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record ProduceTopicData(string Name, IReadOnlyList<ProducePartitionData> Partitions)
{
    /// <summary>The topic's id, from v13 (which leaves <see cref="Name"/> empty).</summary>
    public Guid TopicId { get; init; }
}

public sealed record ProducePartitionData(int Index, byte[]? Records);

public sealed record ProduceResponse(IReadOnlyList<ProduceTopicResponse> Responses, int ThrottleTimeMs) : IKafkaMessage<ProduceResponse>
{
    public static ProduceResponse Read(KafkaReader reader, short version)
    {
        var responses = reader.Array(t =>
        {
            var name = version <= 12 ? t.String() : "";
            var topicId = version >= 13 ? t.Uuid() : Guid.Empty;
            var partitions = t.Array(p =>
            {
                var index = p.Int32();
                var error = (ErrorCode)p.Int16();
                var baseOffset = p.Int64();
                var appendTime = p.Int64();
                var logStart = version >= 5 ? p.Int64() : -1;
                var recordErrors = version >= 8
                    ? p.Array(e =>
                    {
                        var recordError = new ProduceRecordError(e.Int32(), e.NullableString());
                        e.TaggedFields();
                        return recordError;
                    })
                    : [];
                var message = version >= 8 ? p.NullableString() : null;
                p.TaggedFields();
                return new ProducePartitionResponse(index, error, baseOffset, appendTime, logStart, recordErrors, message);
            });
            t.TaggedFields();
            return new ProduceTopicResponse(name, partitions) { TopicId = topicId };
        });
        var throttle = reader.Int32();
        reader.TaggedFields();
        return new ProduceResponse(responses, throttle);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Responses, (t, topic) =>
        {
            if (version <= 12)
            {
                t.String(topic.Name);
            }
            else
            {
                t.Uuid(topic.TopicId);
            }
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.Index);
                p.Int16((short)partition.ErrorCode);
                p.Int64(partition.BaseOffset);
                p.Int64(partition.LogAppendTimeMs);
                if (version >= 5)
                {
                    p.Int64(partition.LogStartOffset);
                }
                if (version >= 8)
                {
                    p.Array(partition.RecordErrors, (e, recordError) =>
                    {
                        e.Int32(recordError.BatchIndex);
                        e.NullableString(recordError.Message);
                        e.TaggedFields();
                    });
                    p.NullableString(partition.ErrorMessage);
                }
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.Int32(ThrottleTimeMs);
        writer.TaggedFields();
    }
}

public sealed record ProduceTopicResponse(string Name, IReadOnlyList<ProducePartitionResponse> Partitions)
{
    /// <summary>The topic's id, written instead of <see cref="Name"/> from v13.</summary>
    public Guid TopicId { get; init; }
}

public sealed record ProducePartitionResponse(
    int Index, ErrorCode ErrorCode, long BaseOffset, long LogAppendTimeMs, long LogStartOffset,
    IReadOnlyList<ProduceRecordError> RecordErrors, string? ErrorMessage)
{
    public static ProducePartitionResponse Failed(int index, ErrorCode error, string? message = null) => new(index, error, -1, -1, -1, [], message);
}

public sealed record ProduceRecordError(int BatchIndex, string? Message);

/// <summary>
/// Appends record batches to partition leaders. Batches are validated (framing, magic 2, CRC-32C, records)
/// before the cluster lock is taken; the append itself only copies the bytes and rewrites the base offset.
/// Unknown topics are not auto-created here, as in Kafka: clients create them through Metadata first.
/// Transactional batches are stored like any other (the sandbox has no transaction coordinator).
/// </summary>
public sealed class ProduceHandler : ApiHandler<ProduceRequest, ProduceResponse>
{
    public override ApiKey Key => ApiKey.Produce;
    public override short MinVersion => 3;
    public override short MaxVersion => 13;
    public override short FirstFlexibleVersion => 9;

    protected override ValueTask<ProduceResponse?> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var validations = request.Topics
            .Select(t => t.Partitions.Select(p => p.Records is null ? null : RecordBatchReader.Validate(p.Records)).ToList())
            .ToList();
        var validAcks = request.Acks is 0 or 1 or -1;
        var appended = false;
        var responses = new List<ProduceTopicResponse>(request.Topics.Count);
        var now = cluster.NowMs;
        lock (cluster.Sync)
        {
            for (var t = 0; t < request.Topics.Count; t++)
            {
                var topicData = request.Topics[t];
                var byId = context.Version >= 13;
                var topic = byId
                    ? cluster.Topics.Values.FirstOrDefault(candidate => candidate.TopicId == topicData.TopicId)
                    : cluster.Topics.GetValueOrDefault(topicData.Name);
                var partitions = new List<ProducePartitionResponse>(topicData.Partitions.Count);
                for (var p = 0; p < topicData.Partitions.Count; p++)
                {
                    var index = topicData.Partitions[p].Index;
                    var log = topic is not null && index >= 0 && index < topic.Partitions.Count ? topic.Partitions[index] : null;
                    if (!validAcks)
                    {
                        partitions.Add(ProducePartitionResponse.Failed(index, ErrorCode.InvalidRequiredAcks));
                    }
                    else if (topic is null && byId)
                    {
                        partitions.Add(ProducePartitionResponse.Failed(index, ErrorCode.UnknownTopicId));
                    }
                    else if (topic is null || log is null)
                    {
                        partitions.Add(ProducePartitionResponse.Failed(index, ErrorCode.UnknownTopicOrPartition));
                    }
                    else if (log.LeaderId != context.Broker.Id)
                    {
                        partitions.Add(ProducePartitionResponse.Failed(index, ErrorCode.NotLeaderOrFollower,
                            $"broker {context.Broker.Id} is not the leader of {topic.Name}-{index}; broker {log.LeaderId} is"));
                    }
                    else
                    {
                        var result = Append(topic, log, validations[t][p], now);
                        appended |= result.ErrorCode == ErrorCode.None;
                        partitions.Add(result);
                    }
                }
                responses.Add(new ProduceTopicResponse(topicData.Name, partitions) { TopicId = topicData.TopicId });
            }
        }
        if (appended)
        {
            cluster.Appended.Notify();
        }
        if (request.Acks == 0)
        {
            // acks=0: the client expects no response at all.
            return ValueTask.FromResult<ProduceResponse?>(null);
        }
        return ValueTask.FromResult<ProduceResponse?>(new ProduceResponse(responses, 0));
    }

    private static ProducePartitionResponse Append(Topic topic, PartitionLog log, BatchValidation? validation, long now)
    {
        if (validation is null)
        {
            return ProducePartitionResponse.Failed(log.Index, ErrorCode.InvalidRecord, "null records");
        }
        if (validation.Error != ErrorCode.None)
        {
            return ProducePartitionResponse.Failed(log.Index, validation.Error, validation.Message);
        }
        var maxBytes = topic.MaxMessageBytes;
        foreach (var batch in validation.Batches)
        {
            if (batch.Bytes.Length > maxBytes)
            {
                return ProducePartitionResponse.Failed(log.Index, ErrorCode.MessageTooLarge,
                    $"record batch of {batch.Bytes.Length} bytes exceeds max.message.bytes={maxBytes} of topic {topic.Name}");
            }
        }
        var logAppendTime = topic.UsesLogAppendTime;
        var baseOffset = -1L;
        foreach (var batch in validation.Batches)
        {
            var offset = log.Append(batch, now, logAppendTime);
            if (baseOffset < 0)
            {
                baseOffset = offset;
            }
        }
        return new ProducePartitionResponse(log.Index, ErrorCode.None, baseOffset, logAppendTime ? now : -1, log.LogStartOffset, [], null);
    }
}
