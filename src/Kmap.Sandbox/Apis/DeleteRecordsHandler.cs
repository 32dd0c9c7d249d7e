using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DeleteRecords v0–2 (flexible from v2): moves a partition's log start offset forward.</summary>
public sealed record DeleteRecordsRequest(IReadOnlyList<DeleteRecordsTopic> Topics, int TimeoutMs) : IKafkaMessage<DeleteRecordsRequest>
{
    /// <summary>Offset -1 means "up to the high watermark".</summary>
    public const long HighWatermark = -1;

    public static DeleteRecordsRequest Read(KafkaReader reader, short version)
    {
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var partitions = t.Array(p =>
            {
                var partition = new DeleteRecordsPartition(p.Int32(), p.Int64());
                p.TaggedFields();
                return partition;
            });
            t.TaggedFields();
            return new DeleteRecordsTopic(name, partitions);
        });
        var timeout = reader.Int32();
        reader.TaggedFields();
        return new DeleteRecordsRequest(topics, timeout);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.PartitionIndex);
                p.Int64(partition.Offset);
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.Int32(TimeoutMs);
        writer.TaggedFields();
    }
}

public sealed record DeleteRecordsTopic(string Name, IReadOnlyList<DeleteRecordsPartition> Partitions);

public sealed record DeleteRecordsPartition(int PartitionIndex, long Offset);

public sealed record DeleteRecordsResponse(int ThrottleTimeMs, IReadOnlyList<DeleteRecordsTopicResult> Topics) : IKafkaMessage<DeleteRecordsResponse>
{
    public static DeleteRecordsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var partitions = t.Array(p =>
            {
                var partition = new DeleteRecordsPartitionResult(p.Int32(), p.Int64(), (ErrorCode)p.Int16());
                p.TaggedFields();
                return partition;
            });
            t.TaggedFields();
            return new DeleteRecordsTopicResult(name, partitions);
        });
        reader.TaggedFields();
        return new DeleteRecordsResponse(throttle, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.PartitionIndex);
                p.Int64(partition.LowWatermark);
                p.Int16((short)partition.ErrorCode);
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record DeleteRecordsTopicResult(string Name, IReadOnlyList<DeleteRecordsPartitionResult> Partitions);

public sealed record DeleteRecordsPartitionResult(int PartitionIndex, long LowWatermark, ErrorCode ErrorCode);

/// <summary>
/// Moves each partition's log start to the requested offset (-1: the high watermark). An offset past the
/// high watermark or below -1 is OFFSET_OUT_OF_RANGE; the request goes to each partition's leader.
/// </summary>
public sealed class DeleteRecordsHandler : ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse>
{
    public override ApiKey Key => ApiKey.DeleteRecords;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<DeleteRecordsResponse?> HandleAsync(RequestContext context, DeleteRecordsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var topics = new List<DeleteRecordsTopicResult>(request.Topics.Count);
        lock (cluster.Sync)
        {
            foreach (var wanted in request.Topics)
            {
                var partitions = new List<DeleteRecordsPartitionResult>(wanted.Partitions.Count);
                foreach (var partition in wanted.Partitions)
                {
                    var log = cluster.FindPartition(wanted.Name, partition.PartitionIndex);
                    if (log is null)
                    {
                        partitions.Add(new(partition.PartitionIndex, -1, ErrorCode.UnknownTopicOrPartition));
                    }
                    else if (log.LeaderId != context.Broker.Id)
                    {
                        partitions.Add(new(partition.PartitionIndex, -1, ErrorCode.NotLeaderOrFollower));
                    }
                    else
                    {
                        var offset = partition.Offset == DeleteRecordsRequest.HighWatermark ? log.HighWatermark : partition.Offset;
                        if (offset < 0 || offset > log.HighWatermark)
                        {
                            partitions.Add(new(partition.PartitionIndex, -1, ErrorCode.OffsetOutOfRange));
                            continue;
                        }
                        log.DeleteRecordsBefore(offset);
                        partitions.Add(new(partition.PartitionIndex, log.LogStartOffset, ErrorCode.None));
                    }
                }
                topics.Add(new DeleteRecordsTopicResult(wanted.Name, partitions));
            }
        }
        return ValueTask.FromResult<DeleteRecordsResponse?>(new DeleteRecordsResponse(0, topics));
    }
}
