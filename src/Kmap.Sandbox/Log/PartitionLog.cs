using System.Runtime.InteropServices;

namespace Kmap.Sandbox.Log;

/// <summary>
/// One partition's log. Callers hold <see cref="Cluster.ClusterState.Sync"/> while they touch it.
/// Without transactions the last stable offset equals the high watermark.
/// </summary>
public sealed class PartitionLog
{
    private Dictionary<long, ProducerState>? _producers;

    public PartitionLog(string topic, int index, int leaderId, int[] replicas)
    {
        Topic = topic;
        Index = index;
        LeaderId = leaderId;
        Replicas = replicas;
    }

    public string Topic { get; }
    public int Index { get; }
    public int LeaderId { get; set; }
    public int[] Replicas { get; set; }
    public int LeaderEpoch { get; set; }
    public long LogStartOffset { get; set; }
    public long HighWatermark { get; set; }
    public long LastStableOffset => HighWatermark;

    /// <summary>Batches in offset order; batches wholly below <see cref="LogStartOffset"/> are dropped.</summary>
    public List<StoredBatch> Batches { get; } = [];

    /// <summary>Bytes of the stored batches, kept as a running total (DescribeLogDirs asks often).</summary>
    public long SizeInBytes { get; private set; }

    /// <summary>
    /// Appends one validated batch: rewrites its base offset and leader epoch, stamps LogAppendTime if the
    /// topic asks for it, and moves the high watermark. Returns the batch's base offset; a retried idempotent
    /// batch returns the offset it got the first time and is not appended again.
    /// </summary>
    public long Append(ValidatedBatch batch, long nowMs, bool logAppendTime)
    {
        if (batch.ProducerId >= 0 && _producers is not null && _producers.TryGetValue(batch.ProducerId, out var known)
            && known.FindDuplicate(batch.ProducerEpoch, batch.BaseSequence) is { } original)
        {
            return original;
        }
        // A request's records usually are exactly one batch: keep that array instead of copying it.
        var bytes = MemoryMarshal.TryGetArray(batch.Bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : batch.Bytes.ToArray();
        var baseOffset = HighWatermark;
        RecordBatchHeader.SetBaseOffset(bytes, baseOffset);
        RecordBatchHeader.SetPartitionLeaderEpoch(bytes, LeaderEpoch);
        var maxTimestamp = batch.MaxTimestamp;
        if (logAppendTime)
        {
            RecordBatchHeader.SetLogAppendTime(bytes, nowMs);
            maxTimestamp = nowMs;
        }
        var stored = new StoredBatch(baseOffset, baseOffset + batch.LastOffsetDelta, maxTimestamp, bytes);
        Batches.Add(stored);
        SizeInBytes += bytes.Length;
        HighWatermark = stored.LastOffset + 1;
        if (batch.ProducerId >= 0)
        {
            _producers ??= [];
            if (!_producers.TryGetValue(batch.ProducerId, out var state))
            {
                state = new ProducerState(batch.ProducerEpoch);
                _producers[batch.ProducerId] = state;
            }
            state.Record(batch.ProducerEpoch, batch.BaseSequence, baseOffset);
        }
        return baseOffset;
    }

    /// <summary>Puts back a batch read from a data directory, in offset order, without touching offsets or watermarks.</summary>
    public void Restore(StoredBatch batch)
    {
        Batches.Add(batch);
        SizeInBytes += batch.Bytes.Length;
    }

    /// <summary>Index of the batch holding <paramref name="offset"/>, or of the first batch after it; Batches.Count when none.</summary>
    public int FindBatchIndex(long offset)
    {
        int low = 0, high = Batches.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (Batches[mid].LastOffset < offset)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    /// <summary>
    /// The batches a fetch from <paramref name="offset"/> returns: whole batches starting with the one that
    /// holds the offset (clients skip the records before it), up to <paramref name="maxBytes"/> — but always at
    /// least one batch when <paramref name="atLeastOne"/>, so a batch bigger than the limit cannot stall a consumer (KIP-74).
    /// </summary>
    public List<StoredBatch> Read(long offset, int maxBytes, bool atLeastOne)
    {
        var result = new List<StoredBatch>();
        var total = 0L;
        for (var i = FindBatchIndex(offset); i < Batches.Count; i++)
        {
            var batch = Batches[i];
            if (total + batch.Bytes.Length > maxBytes && !(atLeastOne && result.Count == 0))
            {
                break;
            }
            result.Add(batch);
            total += batch.Bytes.Length;
        }
        return result;
    }

    /// <summary>Moves the log start to <paramref name="offset"/> (DeleteRecords) and drops the batches wholly before it.</summary>
    public void DeleteRecordsBefore(long offset)
    {
        if (offset <= LogStartOffset)
        {
            return;
        }
        LogStartOffset = offset;
        var drop = 0;
        while (drop < Batches.Count && Batches[drop].LastOffset < offset)
        {
            SizeInBytes -= Batches[drop].Bytes.Length;
            drop++;
        }
        Batches.RemoveRange(0, drop);
    }

    /// <summary>
    /// ListOffsets by timestamp: the first offset at or after the log start whose record timestamp is ≥
    /// <paramref name="timestamp"/>, with that timestamp; null when no record qualifies.
    /// </summary>
    public (long Offset, long Timestamp)? FindOffsetByTimestamp(long timestamp)
    {
        foreach (var batch in Batches)
        {
            if (batch.MaxTimestamp < timestamp)
            {
                continue;
            }
            foreach (var record in RecordBatchReader.RecordPositions(batch.Bytes))
            {
                var offset = batch.BaseOffset + record.OffsetDelta;
                if (offset >= LogStartOffset && record.Timestamp >= timestamp)
                {
                    return (offset, record.Timestamp);
                }
            }
        }
        return null;
    }

    /// <summary>ListOffsets MAX_TIMESTAMP (-3): the earliest record carrying the largest timestamp; null on an empty log.</summary>
    public (long Offset, long Timestamp)? FindMaxTimestamp()
    {
        StoredBatch? best = null;
        foreach (var batch in Batches)
        {
            if (best is null || batch.MaxTimestamp > best.MaxTimestamp)
            {
                best = batch;
            }
        }
        if (best is null)
        {
            return null;
        }
        foreach (var record in RecordBatchReader.RecordPositions(best.Bytes))
        {
            var offset = best.BaseOffset + record.OffsetDelta;
            if (offset >= LogStartOffset && record.Timestamp == best.MaxTimestamp)
            {
                return (offset, record.Timestamp);
            }
        }
        return (Math.Max(best.BaseOffset, LogStartOffset), best.MaxTimestamp);
    }
}
