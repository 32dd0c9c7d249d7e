using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Produce, Fetch and ListOffsets against librdkafka (Confluent.Kafka) over real sockets.</summary>
public class ProduceFetchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static async Task CreateTopicAsync(SandboxCluster sandbox, string name, int partitions, short replicationFactor = 1, Dictionary<string, string>? configs = null)
    {
        using var admin = KafkaClients.Admin(sandbox);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = replicationFactor, Configs = configs }]);
    }

    [Fact]
    public async Task Records_with_keys_headers_and_timestamps_come_back_byte_for_byte()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await CreateTopicAsync(sandbox, "orders", 3);
        var sent = new List<Message<byte[], byte[]>>();
        using (var producer = KafkaClients.Producer(sandbox))
        {
            for (var i = 0; i < 30; i++)
            {
                var headers = new Headers { { "trace", Encoding.UTF8.GetBytes($"t{i}") }, { "empty", [] } };
                var message = new Message<byte[], byte[]>
                {
                    Key = i % 5 == 0 ? null! : Encoding.UTF8.GetBytes($"key-{i}"),
                    Value = [.. Enumerable.Range(0, i * 7).Select(b => (byte)b)],
                    Headers = headers,
                    Timestamp = new Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + (i * 1000)).UtcDateTime),
                };
                sent.Add(message);
                var result = await producer.ProduceAsync(new TopicPartition("orders", i % 3), message);
                Assert.Equal(PersistenceStatus.Persisted, result.Status);
                Assert.Equal(i / 3, result.Offset.Value);
            }
        }

        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("orders", p, Offset.Beginning)));
        var received = KafkaClients.ConsumeAll(consumer, sent.Count, Deadline);
        Assert.Equal(sent.Count, received.Count);
        foreach (var result in received)
        {
            var i = (int)(result.Offset.Value * 3) + result.Partition.Value;
            var expected = sent[i];
            Assert.Equal(expected.Key, result.Message.Key);
            Assert.Equal(expected.Value, result.Message.Value);
            Assert.Equal(expected.Timestamp.UnixTimestampMs, result.Message.Timestamp.UnixTimestampMs);
            Assert.Equal(TimestampType.CreateTime, result.Message.Timestamp.Type);
            Assert.Equal(expected.Headers.Select(h => (h.Key, h.GetValueBytes())), result.Message.Headers.Select(h => (h.Key, h.GetValueBytes())));
        }
    }

    [Fact]
    public async Task A_LogAppendTime_topic_stamps_records_with_the_broker_clock()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await CreateTopicAsync(sandbox, "stamped", 1, configs: new() { ["message.timestamp.type"] = "LogAppendTime" });
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var producer = KafkaClients.Producer(sandbox))
        {
            await producer.ProduceAsync("stamped", new Message<byte[], byte[]> { Value = [1], Timestamp = new Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(1000)) });
        }
        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(new TopicPartitionOffset("stamped", 0, Offset.Beginning));
        var received = Assert.Single(KafkaClients.ConsumeAll(consumer, 1, Deadline));
        Assert.Equal(TimestampType.LogAppendTime, received.Message.Timestamp.Type);
        Assert.InRange(received.Message.Timestamp.UnixTimestampMs, before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_long_poll_fetch_is_woken_by_a_produce_well_before_max_wait()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await CreateTopicAsync(sandbox, "wake", 1);
        using var producer = KafkaClients.Producer(sandbox);
        await producer.ProduceAsync("wake", new Message<byte[], byte[]> { Value = [0] });

        // librdkafka would wait up to 10 s per fetch; only the append signal can make this fast.
        using var consumer = KafkaClients.Consumer(sandbox, c => c.FetchWaitMaxMs = 10_000);
        consumer.Assign(new TopicPartitionOffset("wake", 0, Offset.Beginning));
        Assert.Single(KafkaClients.ConsumeAll(consumer, 1, Deadline));
        // The consumer is now parked in a fetch at offset 1.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));

        var clock = Stopwatch.StartNew();
        await producer.ProduceAsync("wake", new Message<byte[], byte[]> { Value = [1] });
        var woken = KafkaClients.ConsumeAll(consumer, 1, Deadline);
        clock.Stop();
        Assert.Single(woken);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"fetch returned {clock.Elapsed.TotalMilliseconds:F0} ms after the produce; max_wait is 10 s");
    }

    [Fact]
    public async Task Watermarks_and_offsets_for_times_follow_the_log()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await CreateTopicAsync(sandbox, "timed", 1);
        using (var producer = KafkaClients.Producer(sandbox))
        {
            foreach (var seconds in new[] { 10, 20, 20, 30 })
            {
                await producer.ProduceAsync("timed", new Message<byte[], byte[]> { Value = [1], Timestamp = new Timestamp(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + seconds)) });
            }
        }
        using var consumer = KafkaClients.Consumer(sandbox);
        var partition = new TopicPartition("timed", 0);
        var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
        Assert.Equal(0, marks.Low.Value);
        Assert.Equal(4, marks.High.Value);

        Offset At(long seconds) => consumer.OffsetsForTimes(
            [new TopicPartitionTimestamp(partition, new Timestamp(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000 + seconds)))], TimeSpan.FromSeconds(10))[0].Offset;
        Assert.Equal(0, At(0).Value);
        Assert.Equal(1, At(15).Value);
        Assert.Equal(1, At(20).Value);
        Assert.Equal(3, At(21).Value);
        // Nothing at or after the time: librdkafka reports the end (-1 on the wire).
        Assert.Equal(Offset.End, At(31));

        using var admin = KafkaClients.Admin(sandbox);
        var deleted = await admin.DeleteRecordsAsync([new TopicPartitionOffset(partition, 2)]);
        Assert.Equal(2, deleted[0].Offset.Value);
        marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
        Assert.Equal(2, marks.Low.Value);
        Assert.Equal(4, marks.High.Value);
        Assert.Equal(2, At(0).Value);
    }

    [Fact]
    public async Task An_idempotent_producer_gets_an_id_and_its_records_are_stored_once()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await CreateTopicAsync(sandbox, "exactly", 3);
        using (var producer = KafkaClients.Producer(sandbox, c => { c.EnableIdempotence = true; c.LingerMs = 5; }))
        {
            var deliveries = Enumerable.Range(0, 300)
                .Select(i => producer.ProduceAsync("exactly", new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i), Value = BitConverter.GetBytes(i) }))
                .ToList();
            var results = await Task.WhenAll(deliveries);
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
        }
        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset("exactly", p, Offset.Beginning)));
        var received = KafkaClients.ConsumeAll(consumer, 300, Deadline);
        Assert.Equal(Enumerable.Range(0, 300), received.Select(r => BitConverter.ToInt32(r.Message.Value)).Order());
        lock (sandbox.State.Sync)
        {
            Assert.Equal(300, sandbox.State.Topics["exactly"].Partitions.Sum(p => p.HighWatermark));
        }
    }

    [Fact]
    public async Task Acks_zero_produces_are_stored_though_nothing_is_acknowledged()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await CreateTopicAsync(sandbox, "fire-and-forget", 1);
        using (var producer = KafkaClients.Producer(sandbox, c => c.Acks = Acks.None))
        {
            for (var i = 0; i < 20; i++)
            {
                var result = await producer.ProduceAsync("fire-and-forget", new Message<byte[], byte[]> { Value = [(byte)i] });
                // With acks=0 the broker sends nothing back, so the client cannot know the offset.
                Assert.Equal(Offset.Unset, result.Offset);
            }
        }
        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(new TopicPartitionOffset("fire-and-forget", 0, Offset.Beginning));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (byte)i), KafkaClients.ConsumeAll(consumer, 20, Deadline).Select(r => r.Message.Value[0]));
    }

    [Fact]
    public async Task Producing_to_a_three_broker_cluster_reaches_every_partition_leader()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await CreateTopicAsync(sandbox, "spread", 6, replicationFactor: 2);
        lock (sandbox.State.Sync)
        {
            // The leaders really are spread, so reaching all partitions means talking to every broker.
            Assert.Equal(3, sandbox.State.Topics["spread"].Partitions.Select(p => p.LeaderId).Distinct().Count());
        }
        using (var producer = KafkaClients.Producer(sandbox))
        {
            for (var p = 0; p < 6; p++)
            {
                var result = await producer.ProduceAsync(new TopicPartition("spread", p), new Message<byte[], byte[]> { Value = [(byte)p] });
                Assert.Equal(0, result.Offset.Value);
            }
        }
        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(Enumerable.Range(0, 6).Select(p => new TopicPartitionOffset("spread", p, Offset.Beginning)));
        var received = KafkaClients.ConsumeAll(consumer, 6, Deadline);
        Assert.All(received, r => Assert.Equal((byte)r.Partition.Value, r.Message.Value[0]));
        Assert.Equal(6, received.Count);
    }

    [Fact]
    public async Task Produced_records_survive_a_restart_with_a_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "kmap-log-datadir-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new SandboxOptions { DataDirectory = directory };
            await using (var first = await SandboxCluster.StartAsync(options))
            {
                await CreateTopicAsync(first, "kept", 1);
                using var producer = KafkaClients.Producer(first);
                for (var i = 0; i < 5; i++)
                {
                    await producer.ProduceAsync("kept", new Message<byte[], byte[]> { Key = [(byte)i], Value = [(byte)(10 + i)] });
                }
                using var admin = KafkaClients.Admin(first);
                await admin.DeleteRecordsAsync([new TopicPartitionOffset("kept", 0, 2)]);
            }

            await using var second = await SandboxCluster.StartAsync(options);
            using var consumer = KafkaClients.Consumer(second);
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition("kept", 0), TimeSpan.FromSeconds(10));
            Assert.Equal((2L, 5L), (marks.Low.Value, marks.High.Value));
            consumer.Assign(new TopicPartitionOffset("kept", 0, Offset.Beginning));
            var received = KafkaClients.ConsumeAll(consumer, 3, Deadline);
            Assert.Equal([12, 13, 14], received.Select(r => (int)r.Message.Value[0]));
            using var producer2 = KafkaClients.Producer(second);
            Assert.Equal(5, (await producer2.ProduceAsync("kept", new Message<byte[], byte[]> { Value = [0] })).Offset.Value);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
