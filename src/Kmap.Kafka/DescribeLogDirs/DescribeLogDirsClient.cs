using Kmap.Core.Cluster;

namespace Kmap.Kafka.DescribeLogDirs;

/// <summary>Replica sizes one broker reports for its log directories (DescribeLogDirs, API key 35).</summary>
internal sealed record ReplicaSize(string Topic, int Partition, long SizeBytes, bool IsFuture);

/// <summary>
/// DescribeLogDirs v1 by hand (request: nullable array of topic + partitions; response: throttle,
/// results of error, log dir, topics, partitions with size, offset lag and is-future), the oldest
/// version Kafka 4 still serves and one every broker since 1.1 understands.
/// </summary>
internal static class DescribeLogDirsClient
{
    private const short ApiKey = 35;
    private const short Version = 1;

    /// <summary>Null topics: every replica the broker holds.</summary>
    public static async Task<IReadOnlyList<ReplicaSize>> DescribeAsync(BrokerConnection connection, IReadOnlyDictionary<string, IReadOnlyList<int>>? topics, string broker, CancellationToken cancellationToken)
    {
        var reader = await connection.SendAsync(ApiKey, Version, EncodeRequest(topics), cancellationToken);
        return DecodeResponse(reader, broker);
    }

    internal static byte[] EncodeRequest(IReadOnlyDictionary<string, IReadOnlyList<int>>? topics)
    {
        var writer = new WireWriter();
        if (topics is null)
        {
            writer.Int32(-1);
            return writer.ToArray();
        }
        writer.Int32(topics.Count);
        foreach (var (topic, partitions) in topics)
        {
            writer.String(topic).Int32(partitions.Count);
            foreach (var partition in partitions)
            {
                writer.Int32(partition);
            }
        }
        return writer.ToArray();
    }

    internal static IReadOnlyList<ReplicaSize> DecodeResponse(WireReader reader, string broker)
    {
        _ = reader.Int32(); // throttle_time_ms
        var sizes = new List<ReplicaSize>();
        var results = reader.ArrayLength(minimumElementSize: 8);
        for (var r = 0; r < results; r++)
        {
            var error = reader.Int16();
            var logDir = reader.String();
            var topicCount = reader.ArrayLength(minimumElementSize: 6);
            if (error != 0)
            {
                throw new ClusterException($"broker {broker} could not describe log directory {logDir}: error {error} (kmap needs DESCRIBE on the cluster)");
            }
            for (var t = 0; t < topicCount; t++)
            {
                var topic = reader.String();
                var partitionCount = reader.ArrayLength(minimumElementSize: 21);
                for (var p = 0; p < partitionCount; p++)
                {
                    var partition = reader.Int32();
                    var size = reader.Int64();
                    _ = reader.Int64(); // offset_lag
                    var future = reader.Bool();
                    sizes.Add(new ReplicaSize(topic, partition, size, future));
                }
            }
        }
        return sizes;
    }
}
