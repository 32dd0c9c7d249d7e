using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Kmap.Conformance.Tests.Support;

/// <summary>
/// Records that catch sloppy codecs (null/empty/binary/UTF-8/large keys and values, repeated header
/// keys, explicit old timestamps), in the JSON shape the python and node scripts read and print
/// (bytes as lowercase hex), plus Confluent.Kafka helpers for setup and cross-checks.
/// </summary>
public static class SampleRecords
{
    public sealed record Sample(int Partition, byte[]? Key, byte[]? Value, long Timestamp, IReadOnlyList<(string Key, byte[] Value)> Headers);

    public static List<Sample> Create(int partitions)
    {
        var baseTime = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
        var values = new byte[]?[] { [0, 1, 2, 255, 0], null, [], Encoding.UTF8.GetBytes("héllo wörld ✓"), new byte[20_000] };
        // A null key never meets a null value: kafka-python refuses to send a record with neither.
        var keys = new byte[]?[] { Encoding.UTF8.GetBytes("k1"), [0xFF, 0x00], null, [], Encoding.UTF8.GetBytes("ключ") };
        var list = new List<Sample>();
        for (var i = 0; i < values.Length * 2; i++)
        {
            (string, byte[])[] headers = i % 3 == 2 ? [] : [("trace", Encoding.UTF8.GetBytes("t-" + i.ToString(CultureInfo.InvariantCulture))), ("empty", []), ("trace", [0, 1])];
            list.Add(new Sample(i % partitions, keys[i % keys.Length], values[i % values.Length], baseTime + (i * 1000), headers));
        }
        return list;
    }

    /// <summary>The samples with each record's headers grouped by key (first appearance order), as kafkajs sends them.</summary>
    public static List<Sample> GroupHeadersByKey(IEnumerable<Sample> samples) =>
        samples.Select(s => s with { Headers = s.Headers.GroupBy(h => h.Key).SelectMany(g => g).ToList() }).ToList();

    public static string ToJson(IEnumerable<Sample> samples)
    {
        var array = new JsonArray();
        foreach (var s in samples)
        {
            var headers = new JsonArray();
            foreach (var (key, value) in s.Headers)
            {
                headers.Add(new JsonArray(key, Hex(value)));
            }
            array.Add(new JsonObject
            {
                ["partition"] = s.Partition,
                ["key"] = Hex(s.Key),
                ["value"] = Hex(s.Value),
                ["timestamp"] = s.Timestamp,
                ["headers"] = headers,
            });
        }
        return array.ToJsonString();
    }

    public static string? Hex(byte[]? bytes) => bytes is null ? null : Convert.ToHexStringLower(bytes);

    /// <summary>Asserts that records printed by a script ({partition, offset, timestamp, key, value, headers}) are the samples, in order per partition.</summary>
    public static void AssertSame(IReadOnlyList<Sample> expected, JsonElement records)
    {
        var actual = records.EnumerateArray().ToList();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var partition in expected.Select(s => s.Partition).Distinct())
        {
            var want = expected.Where(s => s.Partition == partition).ToList();
            var got = actual.Where(r => r.GetProperty("partition").GetInt32() == partition).OrderBy(r => r.GetProperty("offset").GetInt64()).ToList();
            Assert.Equal(want.Count, got.Count);
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(i, got[i].GetProperty("offset").GetInt64());
                Assert.Equal(Hex(want[i].Key), got[i].GetProperty("key").GetString());
                Assert.Equal(Hex(want[i].Value), got[i].GetProperty("value").GetString());
                Assert.Equal(want[i].Timestamp, got[i].GetProperty("timestamp").GetInt64());
                Assert.Equal(
                    want[i].Headers.Select(h => $"{h.Key}={Hex(h.Value)}"),
                    got[i].GetProperty("headers").EnumerateArray().Select(h => $"{h[0].GetString()}={h[1].GetString()}"));
            }
        }
    }

    /// <summary>Reads a topic back with Confluent.Kafka: checks what another client produced is stored byte for byte.</summary>
    public static void AssertStored(string bootstrap, string topic, IReadOnlyList<Sample> expected)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "cross-check", EnableAutoCommit = false }).Build();
        consumer.Assign(expected.Select(s => s.Partition).Distinct().Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var got = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (got.Count < expected.Count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } r)
            {
                got.Add(r);
            }
        }
        Assert.Equal(expected.Count, got.Count);
        foreach (var partition in expected.Select(s => s.Partition).Distinct())
        {
            var want = expected.Where(s => s.Partition == partition).ToList();
            var have = got.Where(r => r.Partition.Value == partition).OrderBy(r => r.Offset.Value).ToList();
            for (var i = 0; i < want.Count; i++)
            {
                Assert.Equal(want[i].Key, have[i].Message.Key);
                Assert.Equal(want[i].Value, have[i].Message.Value);
                Assert.Equal(want[i].Timestamp, have[i].Message.Timestamp.UnixTimestampMs);
                Assert.Equal(
                    want[i].Headers.Select(h => $"{h.Key}={Hex(h.Value)}"),
                    (have[i].Message.Headers ?? new Headers()).Select(h => $"{h.Key}={Hex(h.GetValueBytes())}"));
            }
        }
    }

    public static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>Produces "value-P-I" with key "key-P-I" to every partition.</summary>
    public static async Task ProduceAsync(string bootstrap, string topic, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, p), new Message<string, string>
                {
                    Key = string.Create(CultureInfo.InvariantCulture, $"key-{p}-{i}"),
                    Value = string.Create(CultureInfo.InvariantCulture, $"value-{p}-{i}"),
                });
            }
        }
    }

    public static async Task<List<(string Topic, int Partition, long Offset)>> CommittedAsync(string bootstrap, string group)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var result = Assert.Single(await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]));
        return result.Partitions.Select(p => (p.Topic, p.Partition.Value, p.Offset.Value)).Order().ToList();
    }

    public static async Task CommitAsync(string bootstrap, string group, string topic, params (int Partition, long Offset)[] offsets)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets(group,
            offsets.Select(o => new TopicPartitionOffset(topic, o.Partition, o.Offset)).ToList())]);
    }

    public static async Task<List<string>> ListGroupsAsync(string bootstrap)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var listed = await admin.ListConsumerGroupsAsync();
        return listed.Valid.Select(g => g.GroupId).Order().ToList();
    }
}
