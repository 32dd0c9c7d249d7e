using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// ListOffsets v0–10 (flexible from v6). v0 answers with a list of old-style offsets; v7 adds MAX_TIMESTAMP (-3),
/// v8 EARLIEST_LOCAL_TIMESTAMP (-4), v9 LATEST_TIERED_TIMESTAMP (-5); v10 adds the request's TimeoutMs (KIP-1075).
/// </summary>
public sealed record ListOffsetsRequest(int ReplicaId, sbyte IsolationLevel, IReadOnlyList<ListOffsetsTopic> Topics) : IKafkaMessage<ListOffsetsRequest>
{
    public const long Latest = -1;
    public const long Earliest = -2;
    public const long MaxTimestamp = -3;
    public const long EarliestLocal = -4;
    public const long LatestTiered = -5;

    /// <summary>v10+: how long a read from remote (tiered) storage may take; the sandbox has none, so nothing waits on it.</summary>
    public int TimeoutMs { get; init; }

    public static ListOffsetsRequest Read(KafkaReader reader, short version)
    {
        var replicaId = reader.Int32();
        var isolation = version >= 2 ? reader.Int8() : (sbyte)0;
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var partitions = t.Array(p =>
            {
                var index = p.Int32();
                var leaderEpoch = version >= 4 ? p.Int32() : -1;
                var timestamp = p.Int64();
                var maxNumOffsets = version == 0 ? p.Int32() : 1;
                p.TaggedFields();
                return new ListOffsetsPartition(index, leaderEpoch, timestamp, maxNumOffsets);
            });
            t.TaggedFields();
            return new ListOffsetsTopic(name, partitions);
        });
        var timeoutMs = version >= 10 ? reader.Int32() : 0;
        reader.TaggedFields();
        return new ListOffsetsRequest(replicaId, isolation, topics) { TimeoutMs = timeoutMs };
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ReplicaId);
        if (version >= 2)
        {
            writer.Int8(IsolationLevel);
        }
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.PartitionIndex);
                if (version >= 4)
                {
                    p.Int32(partition.CurrentLeaderEpoch);
                }
                p.Int64(partition.Timestamp);
                if (version == 0)
                {
                    p.Int32(partition.MaxNumOffsets);
                }
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        if (version >= 10)
        {
            writer.Int32(TimeoutMs);
        }
        writer.TaggedFields();
    }
}

public sealed record ListOffsetsTopic(string Name, IReadOnlyList<ListOffsetsPartition> Partitions);

public sealed record ListOffsetsPartition(int PartitionIndex, int CurrentLeaderEpoch, long Timestamp, int MaxNumOffsets);

public sealed record ListOffsetsResponse(int ThrottleTimeMs, IReadOnlyList<ListOffsetsTopicResponse> Topics) : IKafkaMessage<ListOffsetsResponse>
{
    public static ListOffsetsResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 2 ? reader.Int32() : 0;
        var topics = reader.Array(t =>
        {
            var name = t.String();
            var partitions = t.Array(p =>
            {
                var index = p.Int32();
                var error = (ErrorCode)p.Int16();
                var oldStyle = version == 0 ? p.Array(x => x.Int64()) : [];
                var timestamp = version >= 1 ? p.Int64() : -1;
                var offset = version >= 1 ? p.Int64() : -1;
                var epoch = version >= 4 ? p.Int32() : -1;
                p.TaggedFields();
                return new ListOffsetsPartitionResponse(index, error, oldStyle, timestamp, offset, epoch);
            });
            t.TaggedFields();
            return new ListOffsetsTopicResponse(name, partitions);
        });
        reader.TaggedFields();
        return new ListOffsetsResponse(throttle, topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 2)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.Array(Topics, (t, topic) =>
        {
            t.String(topic.Name);
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.PartitionIndex);
                p.Int16((short)partition.ErrorCode);
                if (version == 0)
                {
                    p.Array(partition.OldStyleOffsets, (x, offset) => x.Int64(offset));
                }
                else
                {
                    p.Int64(partition.Timestamp);
                    p.Int64(partition.Offset);
                }
                if (version >= 4)
                {
                    p.Int32(partition.LeaderEpoch);
                }
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record ListOffsetsTopicResponse(string Name, IReadOnlyList<ListOffsetsPartitionResponse> Partitions);

public sealed record ListOffsetsPartitionResponse(
    int PartitionIndex, ErrorCode ErrorCode, IReadOnlyList<long> OldStyleOffsets, long Timestamp, long Offset, int LeaderEpoch);

/// <summary>
/// Earliest (-2) is the log start offset, latest (-1) the high watermark (= last stable offset, there are
/// no transactions), max timestamp (-3) the earliest record with the largest timestamp; any other value is
/// a time: the first offset whose record timestamp is ≥ it, with that timestamp, or offset -1 when none is.
/// </summary>
public sealed class ListOffsetsHandler : ApiHandler<ListOffsetsRequest, ListOffsetsResponse>
{
    public override ApiKey Key => ApiKey.ListOffsets;
    public override short MinVersion => 0;
    public override short MaxVersion => 10;
    public override short FirstFlexibleVersion => 6;

    protected override ValueTask<ListOffsetsResponse?> HandleAsync(RequestContext context, ListOffsetsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var version = context.Version;
        var topics = new List<ListOffsetsTopicResponse>(request.Topics.Count);
        lock (cluster.Sync)
        {
            foreach (var wanted in request.Topics)
            {
                var partitions = new List<ListOffsetsPartitionResponse>(wanted.Partitions.Count);
                foreach (var partition in wanted.Partitions)
                {
                    var log = cluster.FindPartition(wanted.Name, partition.PartitionIndex);
                    if (log is null)
                    {
                        partitions.Add(new(partition.PartitionIndex, ErrorCode.UnknownTopicOrPartition, [], -1, -1, -1));
                        continue;
                    }
                    if (log.LeaderId != context.Broker.Id && request.ReplicaId != -2)
                    {
                        partitions.Add(new(partition.PartitionIndex, ErrorCode.NotLeaderOrFollower, [], -1, -1, -1));
                        continue;
                    }
                    (long Offset, long Timestamp)? found = partition.Timestamp switch
                    {
                        ListOffsetsRequest.Latest => (log.HighWatermark, -1),
                        ListOffsetsRequest.Earliest => (log.LogStartOffset, -1),
                        ListOffsetsRequest.MaxTimestamp when version >= 7 => log.FindMaxTimestamp(),
                        // Without tiered storage the local log starts where the log starts, and nothing is
                        // tiered: Kafka (UnifiedLog.fetchOffsetByTimestamp) answers offset -1, epoch -1 then.
                        ListOffsetsRequest.EarliestLocal when version >= 8 => (log.LogStartOffset, -1),
                        ListOffsetsRequest.LatestTiered when version >= 9 => (-1, -1),
                        _ => log.FindOffsetByTimestamp(partition.Timestamp),
                    };
                    var (offset, timestamp) = found ?? (-1, -1);
                    // v0 lists offsets; "none" is an empty list there.
                    IReadOnlyList<long> oldStyle = version == 0 && found is not null && partition.MaxNumOffsets > 0 ? [offset] : [];
                    var epoch = partition.Timestamp == ListOffsetsRequest.LatestTiered && version >= 9 ? -1 : log.LeaderEpoch;
                    partitions.Add(new(partition.PartitionIndex, ErrorCode.None, oldStyle, timestamp, offset, epoch));
                }
                topics.Add(new ListOffsetsTopicResponse(wanted.Name, partitions));
            }
        }
        return ValueTask.FromResult<ListOffsetsResponse?>(new ListOffsetsResponse(0, topics));
    }
}
