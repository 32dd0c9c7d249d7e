using Kmap.Core.Cluster;

namespace Kmap.Kafka.Wire;

/// <summary>The bytes of one replica a broker holds, from its DescribeLogDirs answer.</summary>
internal sealed record ReplicaSize(string Topic, int Partition, long SizeBytes, bool IsFuture);

/// <summary>
/// DescribeLogDirs v0–1 (API key 35), which Confluent.Kafka does not offer. Request: a nullable array of topics, each
/// with its partitions (null: every replica the broker holds). Response: throttle, then per log directory its error,
/// path and topics, each partition with its size, offset lag and is-future flag. v0 and v1 share one schema; v1 is
/// the oldest version Kafka 4 still serves and one every broker since 1.1 understands, so kmap asks for v1 where the
/// broker's ApiVersions offers it and v0 on a broker older than that. v2+ (flexible) adds nothing topic sizes need.
/// </summary>
internal static class WireDescribeLogDirs
{
    public const short Key = 35;
    public const short Version = 1;

    /// <summary>The version to send to a broker whose highest DescribeLogDirs version is <paramref name="brokerMax"/>; -1 when it has none.</summary>
    public static short VersionFor(short brokerMax) => Math.Min(Version, brokerMax);

    /// <summary>Null topics: every replica the broker holds.</summary>
    public static async Task<IReadOnlyList<ReplicaSize>> DescribeAsync(WireConnection connection, short version,
        IReadOnlyDictionary<string, IReadOnlyList<int>>? topics, CancellationToken cancellationToken)
    {
        var reader = await connection.SendAsync(Key, version, flexible: false, w => WriteRequest(w, topics), cancellationToken);
        return ReadResponse(reader, connection.Broker);
    }

    internal static void WriteRequest(WireWriter writer, IReadOnlyDictionary<string, IReadOnlyList<int>>? topics)
    {
        if (topics is null)
        {
            writer.Int32(-1);
            return;
        }
        writer.Int32(topics.Count);
        foreach (var (topic, partitions) in topics)
        {
            writer.NullableString16(topic);
            writer.Int32(partitions.Count);
            foreach (var partition in partitions)
            {
                writer.Int32(partition);
            }
        }
    }

    /// <summary>Decodes a v0/v1 answer; a log directory's error (an offline directory, a missing ACL) fails the whole answer.</summary>
    internal static IReadOnlyList<ReplicaSize> ReadResponse(WireReader reader, WireBroker broker)
    {
        reader.Int32(); // throttle_time_ms
        var sizes = new List<ReplicaSize>();
        var results = reader.ArrayLength();
        for (var r = 0; r < results; r++)
        {
            var error = reader.Int16();
            var logDir = String(reader);
            var topicCount = reader.ArrayLength();
            if (error != KafkaErrorCodes.None)
            {
                throw new ClusterException($"{broker} could not describe log directory {logDir}: error {error} (kmap needs DESCRIBE on the cluster)");
            }
            for (var t = 0; t < topicCount; t++)
            {
                var topic = String(reader);
                var partitionCount = reader.ArrayLength();
                for (var p = 0; p < partitionCount; p++)
                {
                    var partition = reader.Int32();
                    var size = reader.Int64();
                    reader.Int64(); // offset_lag
                    var future = reader.Int8() != 0;
                    sizes.Add(new ReplicaSize(topic, partition, size, future));
                }
            }
        }
        return sizes;
    }

    private static string String(WireReader reader) => reader.NullableString16() ?? throw new FormatException("null where Kafka's schema has a string");
}
