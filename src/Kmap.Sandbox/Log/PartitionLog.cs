namespace Kmap.Sandbox.Log;

/// <summary>
/// One partition's log. Callers hold <see cref="Cluster.ClusterState.Sync"/> while they touch it.
/// Without transactions the last stable offset equals the high watermark.
/// </summary>
public sealed class PartitionLog
{
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
    public List<StoredBatch> Batches { get; } = [];

    public long SizeInBytes => Batches.Sum(b => (long)b.Bytes.Length);
}
