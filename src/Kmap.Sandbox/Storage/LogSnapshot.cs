using System.Text.Json;
using System.Text.Json.Serialization;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Log;

namespace Kmap.Sandbox.Storage;

/// <summary>
/// Topics and records of a data directory: <c>topics.json</c> holds topic metadata, and each partition's
/// batches live in <c>logs/&lt;topic-id&gt;-&lt;partition&gt;.log</c> as length-prefixed entries. Files are
/// replaced atomically (temp file, fsync, rename), so a crash leaves the previous snapshot whole.
/// </summary>
internal static partial class LogSnapshot
{
    private sealed record PartitionEntry(int Index, int LeaderId, int[] Replicas, int LeaderEpoch, long LogStartOffset, long HighWatermark);

    private sealed record TopicEntry(string Name, Guid TopicId, short ReplicationFactor, Dictionary<string, string> Configs, List<PartitionEntry> Partitions);

    [JsonSerializable(typeof(List<TopicEntry>))]
    private sealed partial class LogSnapshotJson : JsonSerializerContext;

    /// <summary>What a partition's log file holds; a file is rewritten only when its partition's signature moved.</summary>
    internal readonly record struct LogSignature(int Batches, long LogStartOffset, long HighWatermark);

    public static void Save(ClusterState cluster, string directory, Dictionary<string, LogSignature> written)
    {
        var logs = Path.Combine(directory, "logs");
        Directory.CreateDirectory(logs);
        var entries = new List<TopicEntry>();
        var liveFiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in cluster.Topics.Values)
        {
            entries.Add(new TopicEntry(topic.Name, topic.TopicId, topic.ReplicationFactor, new(topic.Configs),
                topic.Partitions.Select(p => new PartitionEntry(p.Index, p.LeaderId, p.Replicas, p.LeaderEpoch, p.LogStartOffset, p.HighWatermark)).ToList()));
            foreach (var partition in topic.Partitions)
            {
                var file = Path.Combine(logs, $"{topic.TopicId:N}-{partition.Index}.log");
                liveFiles.Add(file);
                // Appends move the high watermark and DeleteRecords the log start, so this catches every change.
                var signature = new LogSignature(partition.Batches.Count, partition.LogStartOffset, partition.HighWatermark);
                if (written.TryGetValue(file, out var previous) && previous == signature && File.Exists(file))
                {
                    continue;
                }
                AtomicFile.Write(file, stream => WriteBatches(stream, partition));
                written[file] = signature;
            }
        }
        AtomicFile.Write(Path.Combine(directory, "topics.json"), stream => JsonSerializer.Serialize(stream, entries, LogSnapshotJson.Default.ListTopicEntry));
        // Logs of deleted topics go with them.
        foreach (var stale in Directory.EnumerateFiles(logs, "*.log").Where(f => !liveFiles.Contains(f)))
        {
            File.Delete(stale);
            written.Remove(stale);
        }
    }

    public static void Load(ClusterState cluster, string directory)
    {
        var topicsFile = Path.Combine(directory, "topics.json");
        if (!File.Exists(topicsFile))
        {
            return;
        }
        List<TopicEntry> entries;
        using (var stream = File.OpenRead(topicsFile))
        {
            entries = JsonSerializer.Deserialize(stream, LogSnapshotJson.Default.ListTopicEntry)
                ?? throw new InvalidDataException($"{topicsFile} is empty");
        }
        foreach (var entry in entries)
        {
            var topic = new Topic(entry.Name, entry.TopicId, entry.ReplicationFactor);
            foreach (var (key, value) in entry.Configs)
            {
                topic.Configs[key] = value;
            }
            foreach (var p in entry.Partitions.OrderBy(p => p.Index))
            {
                var partition = new PartitionLog(entry.Name, p.Index, p.LeaderId, p.Replicas)
                {
                    LeaderEpoch = p.LeaderEpoch,
                    LogStartOffset = p.LogStartOffset,
                    HighWatermark = p.HighWatermark,
                };
                var file = Path.Combine(directory, "logs", $"{entry.TopicId:N}-{p.Index}.log");
                if (File.Exists(file))
                {
                    using var stream = File.OpenRead(file);
                    ReadBatches(stream, partition, file);
                }
                topic.Partitions.Add(partition);
            }
            cluster.Topics[topic.Name] = topic;
        }
    }

    private static void WriteBatches(Stream stream, PartitionLog partition)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        foreach (var batch in partition.Batches)
        {
            writer.Write(batch.BaseOffset);
            writer.Write(batch.LastOffset);
            writer.Write(batch.MaxTimestamp);
            writer.Write(batch.Bytes.Length);
            writer.Write(batch.Bytes);
        }
    }

    private static void ReadBatches(Stream stream, PartitionLog partition, string file)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        while (stream.Position < stream.Length)
        {
            try
            {
                var baseOffset = reader.ReadInt64();
                var lastOffset = reader.ReadInt64();
                var maxTimestamp = reader.ReadInt64();
                var length = reader.ReadInt32();
                if (length < 0 || length > stream.Length - stream.Position || lastOffset < baseOffset)
                {
                    throw new InvalidDataException($"batch of {length} bytes at offsets {baseOffset}..{lastOffset}");
                }
                partition.Restore(new StoredBatch(baseOffset, lastOffset, maxTimestamp, reader.ReadBytes(length)));
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                throw new InvalidDataException($"{file} is damaged at byte {stream.Position}: {e.Message}", e);
            }
        }
    }
}
