using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>
/// Fetch v4–18 (flexible from v12; topic ids instead of names from v13; replica id moved to a tag at v15; v17 and
/// v18 add only tagged partition fields a follower sends, ReplicaDirectoryId and HighWatermark, skipped here).
/// </summary>
public sealed record FetchRequest(
    int ReplicaId, int MaxWaitMs, int MinBytes, int MaxBytes, sbyte IsolationLevel, int SessionId, int SessionEpoch,
    IReadOnlyList<FetchTopic> Topics, IReadOnlyList<FetchForgottenTopic> ForgottenTopics, string RackId) : IKafkaMessage<FetchRequest>
{
    public static FetchRequest Read(KafkaReader reader, short version)
    {
        var replicaId = version <= 14 ? reader.Int32() : -1;
        var maxWait = reader.Int32();
        var minBytes = reader.Int32();
        var maxBytes = reader.Int32();
        var isolation = reader.Int8();
        var sessionId = version >= 7 ? reader.Int32() : 0;
        var sessionEpoch = version >= 7 ? reader.Int32() : -1;
        var topics = reader.Array(t =>
        {
            var name = version <= 12 ? t.String() : null;
            var id = version >= 13 ? t.Uuid() : Guid.Empty;
            var partitions = t.Array(p =>
            {
                var partition = p.Int32();
                var leaderEpoch = version >= 9 ? p.Int32() : -1;
                var offset = p.Int64();
                var lastFetchedEpoch = version >= 12 ? p.Int32() : -1;
                var logStart = version >= 5 ? p.Int64() : -1;
                var partitionMax = p.Int32();
                p.TaggedFields();
                return new FetchPartition(partition, leaderEpoch, offset, lastFetchedEpoch, logStart, partitionMax);
            });
            t.TaggedFields();
            return new FetchTopic(name, id, partitions);
        });
        var forgotten = version >= 7
            ? reader.Array(f =>
            {
                var name = version <= 12 ? f.String() : null;
                var id = version >= 13 ? f.Uuid() : Guid.Empty;
                var partitions = f.Array(x => x.Int32());
                f.TaggedFields();
                return new FetchForgottenTopic(name, id, partitions);
            })
            : [];
        var rack = version >= 11 ? reader.String() : "";
        reader.TaggedFields();
        return new FetchRequest(replicaId, maxWait, minBytes, maxBytes, isolation, sessionId, sessionEpoch, topics, forgotten, rack);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version <= 14)
        {
            writer.Int32(ReplicaId);
        }
        writer.Int32(MaxWaitMs);
        writer.Int32(MinBytes);
        writer.Int32(MaxBytes);
        writer.Int8(IsolationLevel);
        if (version >= 7)
        {
            writer.Int32(SessionId);
            writer.Int32(SessionEpoch);
        }
        writer.Array(Topics, (t, topic) =>
        {
            WriteTopic(t, version, topic.Topic, topic.TopicId);
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.Partition);
                if (version >= 9)
                {
                    p.Int32(partition.CurrentLeaderEpoch);
                }
                p.Int64(partition.FetchOffset);
                if (version >= 12)
                {
                    p.Int32(partition.LastFetchedEpoch);
                }
                if (version >= 5)
                {
                    p.Int64(partition.LogStartOffset);
                }
                p.Int32(partition.PartitionMaxBytes);
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        if (version >= 7)
        {
            writer.Array(ForgottenTopics, (f, topic) =>
            {
                WriteTopic(f, version, topic.Topic, topic.TopicId);
                f.Array(topic.Partitions, (x, partition) => x.Int32(partition));
                f.TaggedFields();
            });
        }
        if (version >= 11)
        {
            writer.String(RackId);
        }
        writer.TaggedFields();
    }

    internal static void WriteTopic(KafkaWriter writer, short version, string? name, Guid id)
    {
        if (version <= 12)
        {
            writer.String(name ?? "");
        }
        else
        {
            writer.Uuid(id);
        }
    }
}

/// <summary>A topic to fetch: by name up to v12, by id from v13.</summary>
public sealed record FetchTopic(string? Topic, Guid TopicId, IReadOnlyList<FetchPartition> Partitions);

public sealed record FetchPartition(int Partition, int CurrentLeaderEpoch, long FetchOffset, int LastFetchedEpoch, long LogStartOffset, int PartitionMaxBytes);

public sealed record FetchForgottenTopic(string? Topic, Guid TopicId, IReadOnlyList<int> Partitions);

public sealed record FetchResponse(int ThrottleTimeMs, ErrorCode ErrorCode, int SessionId, IReadOnlyList<FetchTopicResponse> Responses) : IKafkaMessage<FetchResponse>
{
    public static FetchResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var error = version >= 7 ? (ErrorCode)reader.Int16() : ErrorCode.None;
        var sessionId = version >= 7 ? reader.Int32() : 0;
        var responses = reader.Array(t =>
        {
            var name = version <= 12 ? t.String() : null;
            var id = version >= 13 ? t.Uuid() : Guid.Empty;
            var partitions = t.Array(p =>
            {
                var index = p.Int32();
                var partitionError = (ErrorCode)p.Int16();
                var hw = p.Int64();
                var lso = p.Int64();
                var logStart = version >= 5 ? p.Int64() : -1;
                var aborted = p.NullableArray(a =>
                {
                    var transaction = new FetchAbortedTransaction(a.Int64(), a.Int64());
                    a.TaggedFields();
                    return transaction;
                });
                var preferred = version >= 11 ? p.Int32() : -1;
                var records = p.NullableBytes();
                p.TaggedFields();
                return new FetchPartitionData(index, partitionError, hw, lso, logStart, aborted, preferred, records);
            });
            t.TaggedFields();
            return new FetchTopicResponse(name, id, partitions);
        });
        reader.TaggedFields();
        return new FetchResponse(throttle, error, sessionId, responses);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        if (version >= 7)
        {
            writer.Int16((short)ErrorCode);
            writer.Int32(SessionId);
        }
        writer.Array(Responses, (t, topic) =>
        {
            FetchRequest.WriteTopic(t, version, topic.Topic, topic.TopicId);
            t.Array(topic.Partitions, (p, partition) =>
            {
                p.Int32(partition.PartitionIndex);
                p.Int16((short)partition.ErrorCode);
                p.Int64(partition.HighWatermark);
                p.Int64(partition.LastStableOffset);
                if (version >= 5)
                {
                    p.Int64(partition.LogStartOffset);
                }
                p.NullableArray(partition.AbortedTransactions, (a, transaction) =>
                {
                    a.Int64(transaction.ProducerId);
                    a.Int64(transaction.FirstOffset);
                    a.TaggedFields();
                });
                if (version >= 11)
                {
                    p.Int32(partition.PreferredReadReplica);
                }
                p.NullableBytes(partition.Records);
                p.TaggedFields();
            });
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record FetchTopicResponse(string? Topic, Guid TopicId, IReadOnlyList<FetchPartitionData> Partitions);

public sealed record FetchPartitionData(
    int PartitionIndex, ErrorCode ErrorCode, long HighWatermark, long LastStableOffset, long LogStartOffset,
    IReadOnlyList<FetchAbortedTransaction>? AbortedTransactions, int PreferredReadReplica, byte[]? Records)
{
    public static FetchPartitionData Failed(int index, ErrorCode error) => new(index, error, -1, -1, -1, null, -1, []);
}

public sealed record FetchAbortedTransaction(long ProducerId, long FirstOffset);

/// <summary>
/// Serves fetches from partition leaders. Fetch sessions (KIP-227) are not kept: every answer carries
/// session id 0, which tells clients "no session, send full fetches", and an incremental request for a
/// session id is answered FETCH_SESSION_ID_NOT_FOUND. Long polls wait on <see cref="ClusterState.Appended"/>
/// with the request's max_wait_ms as timeout — woken by Produce, never by polling.
/// </summary>
public sealed class FetchHandler : ApiHandler<FetchRequest, FetchResponse>
{
    private const ErrorCode FetchSessionIdNotFound = (ErrorCode)70;

    public override ApiKey Key => ApiKey.Fetch;
    public override short MinVersion => 4;
    public override short MaxVersion => 18;
    public override short FirstFlexibleVersion => 12;

    protected override async ValueTask<FetchResponse?> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        if (request.SessionId != 0)
        {
            return new FetchResponse(0, FetchSessionIdNotFound, 0, []);
        }
        var cluster = context.Cluster;
        var started = cluster.Time.GetTimestamp();
        var maxWait = TimeSpan.FromMilliseconds(Math.Max(request.MaxWaitMs, 0));
        while (true)
        {
            // Take the signal before reading, so an append between the read and the wait still wakes us.
            var appended = cluster.Appended.WaitTask;
            var (response, bytes, hasError) = Read(context, request);
            var remaining = maxWait - cluster.Time.GetElapsedTime(started);
            if (bytes >= request.MinBytes || hasError || remaining <= TimeSpan.Zero)
            {
                return response;
            }
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(remaining, cluster.Time, timer.Token);
            await Task.WhenAny(appended, delay);
            await timer.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static (FetchResponse Response, long Bytes, bool HasError) Read(RequestContext context, FetchRequest request)
    {
        var cluster = context.Cluster;
        var responses = new List<FetchTopicResponse>(request.Topics.Count);
        var totalBytes = 0L;
        var hasError = false;
        var maxBytes = request.MaxBytes <= 0 ? int.MaxValue : request.MaxBytes;
        lock (cluster.Sync)
        {
            // v13+ names topics by id: index them once per fetch rather than scanning all topics for each.
            var byId = request.Topics.Any(t => t.Topic is null) ? cluster.Topics.Values.ToDictionary(t => t.TopicId) : null;
            foreach (var wanted in request.Topics)
            {
                var topic = wanted.Topic is not null
                    ? cluster.Topics.GetValueOrDefault(wanted.Topic)
                    : byId!.GetValueOrDefault(wanted.TopicId);
                var unknown = wanted.Topic is null ? ErrorCode.UnknownTopicId : ErrorCode.UnknownTopicOrPartition;
                var partitions = new List<FetchPartitionData>(wanted.Partitions.Count);
                foreach (var fetch in wanted.Partitions)
                {
                    var log = topic is not null && fetch.Partition >= 0 && fetch.Partition < topic.Partitions.Count ? topic.Partitions[fetch.Partition] : null;
                    FetchPartitionData data;
                    if (log is null)
                    {
                        data = FetchPartitionData.Failed(fetch.Partition, unknown);
                    }
                    else if (log.LeaderId != context.Broker.Id)
                    {
                        data = FetchPartitionData.Failed(fetch.Partition, ErrorCode.NotLeaderOrFollower);
                    }
                    else if (fetch.FetchOffset < log.LogStartOffset || fetch.FetchOffset > log.HighWatermark)
                    {
                        data = new FetchPartitionData(fetch.Partition, ErrorCode.OffsetOutOfRange, log.HighWatermark, log.LastStableOffset, log.LogStartOffset, null, -1, []);
                    }
                    else
                    {
                        var limit = (int)Math.Min(Math.Max(fetch.PartitionMaxBytes, 0), Math.Max(maxBytes - totalBytes, 0));
                        var batches = log.Read(fetch.FetchOffset, limit, atLeastOne: totalBytes == 0);
                        var records = Concatenate(batches);
                        totalBytes += records.Length;
                        data = new FetchPartitionData(fetch.Partition, ErrorCode.None, log.HighWatermark, log.LastStableOffset, log.LogStartOffset, null, -1, records);
                    }
                    hasError |= data.ErrorCode != ErrorCode.None;
                    partitions.Add(data);
                }
                responses.Add(new FetchTopicResponse(wanted.Topic, topic?.TopicId ?? wanted.TopicId, partitions));
            }
        }
        return (new FetchResponse(0, ErrorCode.None, 0, responses), totalBytes, hasError);
    }

    private static byte[] Concatenate(List<StoredBatch> batches)
    {
        if (batches.Count == 1)
        {
            return batches[0].Bytes;
        }
        var bytes = new byte[batches.Sum(b => b.Bytes.Length)];
        var at = 0;
        foreach (var batch in batches)
        {
            batch.Bytes.CopyTo(bytes, at);
            at += batch.Bytes.Length;
        }
        return bytes;
    }
}
