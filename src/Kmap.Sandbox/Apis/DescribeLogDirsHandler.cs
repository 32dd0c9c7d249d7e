using Kmap.Sandbox.Log;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DescribeLogDirs v0–4 (flexible from v2; v3 adds a top-level error, v4 the directory's total and usable bytes).</summary>
public sealed record DescribeLogDirsRequest(IReadOnlyList<DescribableLogDirTopic>? Topics) : IKafkaMessage<DescribeLogDirsRequest>
{
    public static DescribeLogDirsRequest Read(KafkaReader reader, short version)
    {
        var topics = reader.NullableArray(t =>
        {
            var topic = new DescribableLogDirTopic(t.String(), t.Array(p => p.Int32()));
            t.TaggedFields();
            return topic;
        });
        reader.TaggedFields();
        return new DescribeLogDirsRequest(topics);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.NullableArray(Topics, (t, topic) =>
        {
            t.String(topic.Topic);
            t.Array(topic.Partitions, (p, partition) => p.Int32(partition));
            t.TaggedFields();
        });
        writer.TaggedFields();
    }
}

/// <summary>Null topics in the request means every partition the broker holds.</summary>
public sealed record DescribableLogDirTopic(string Topic, IReadOnlyList<int> Partitions);

public sealed record DescribeLogDirsResponse(int ThrottleTimeMs, ErrorCode ErrorCode, IReadOnlyList<DescribeLogDirsResult> Results) : IKafkaMessage<DescribeLogDirsResponse>
{
    public static DescribeLogDirsResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var error = version >= 3 ? (ErrorCode)reader.Int16() : ErrorCode.None;
        var results = reader.Array(r =>
        {
            var resultError = (ErrorCode)r.Int16();
            var logDir = r.String();
            var topics = r.Array(t =>
            {
                var name = t.String();
                var partitions = t.Array(p =>
                {
                    var partition = new DescribeLogDirsPartition(p.Int32(), p.Int64(), p.Int64(), p.Bool());
                    p.TaggedFields();
                    return partition;
                });
                t.TaggedFields();
                return new DescribeLogDirsTopic(name, partitions);
            });
            var total = version >= 4 ? r.Int64() : -1;
            var usable = version >= 4 ? r.Int64() : -1;
            r.TaggedFields();
            return new DescribeLogDirsResult(resultError, logDir, topics, total, usable);
        });
        reader.TaggedFields();
        return new DescribeLogDirsResponse(throttle, error, results);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        if (version >= 3)
        {
            writer.Int16((short)ErrorCode);
        }
        writer.Array(Results, (r, result) =>
        {
            r.Int16((short)result.ErrorCode);
            r.String(result.LogDir);
            r.Array(result.Topics, (t, topic) =>
            {
                t.String(topic.Name);
                t.Array(topic.Partitions, (p, partition) =>
                {
                    p.Int32(partition.PartitionIndex);
                    p.Int64(partition.PartitionSize);
                    p.Int64(partition.OffsetLag);
                    p.Bool(partition.IsFutureKey);
                    p.TaggedFields();
                });
                t.TaggedFields();
            });
            if (version >= 4)
            {
                r.Int64(result.TotalBytes);
                r.Int64(result.UsableBytes);
            }
            r.TaggedFields();
        });
        writer.TaggedFields();
    }
}

public sealed record DescribeLogDirsResult(ErrorCode ErrorCode, string LogDir, IReadOnlyList<DescribeLogDirsTopic> Topics, long TotalBytes, long UsableBytes);

public sealed record DescribeLogDirsTopic(string Name, IReadOnlyList<DescribeLogDirsPartition> Partitions);

public sealed record DescribeLogDirsPartition(int PartitionIndex, long PartitionSize, long OffsetLag, bool IsFutureKey);

/// <summary>
/// Each broker has one log directory holding every replica assigned to it; a partition's size is the
/// bytes of its stored batches (the same on every replica, as in-sync replicas are). Total and usable
/// bytes are -1: the sandbox lives in memory and has no disk to report.
/// </summary>
public sealed class DescribeLogDirsHandler : ApiHandler<DescribeLogDirsRequest, DescribeLogDirsResponse>
{
    public override ApiKey Key => ApiKey.DescribeLogDirs;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<DescribeLogDirsResponse?> HandleAsync(RequestContext context, DescribeLogDirsRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var brokerId = context.Broker.Id;
        var topics = new List<DescribeLogDirsTopic>();
        lock (cluster.Sync)
        {
            IEnumerable<(Topic Topic, IEnumerable<PartitionLog> Partitions)> wanted = request.Topics is null
                ? cluster.Topics.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => (t, (IEnumerable<PartitionLog>)t.Partitions))
                : request.Topics
                    .Where(w => cluster.Topics.ContainsKey(w.Topic))
                    .Select(w => (cluster.Topics[w.Topic], w.Partitions.Where(p => p >= 0 && p < cluster.Topics[w.Topic].Partitions.Count).Select(p => cluster.Topics[w.Topic].Partitions[p])));
            foreach (var (topic, partitions) in wanted)
            {
                var held = partitions
                    .Where(p => p.Replicas.Contains(brokerId))
                    .Select(p => new DescribeLogDirsPartition(p.Index, p.SizeInBytes, 0, false))
                    .ToList();
                if (held.Count > 0)
                {
                    topics.Add(new DescribeLogDirsTopic(topic.Name, held));
                }
            }
        }
        var result = new DescribeLogDirsResult(ErrorCode.None, BrokerConfigs.LogDirectory(context.Broker), topics, -1, -1);
        return ValueTask.FromResult<DescribeLogDirsResponse?>(new DescribeLogDirsResponse(0, ErrorCode.None, [result]));
    }
}
