using Kmap.Sandbox.Log;

namespace Kmap.Sandbox.Tests;

public sealed class DataDirectoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kmap-datadir-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Topics_and_batches_survive_a_restart()
    {
        var options = new SandboxOptions { DataDirectory = _directory };
        Guid topicId;
        await using (var first = await SandboxCluster.StartAsync(options))
        {
            lock (first.State.Sync)
            {
                var topic = first.State.CreateTopic("payments", 2, 1, new Dictionary<string, string> { ["retention.ms"] = "1000" });
                topicId = topic.TopicId;
                var log = topic.Partitions[1];
                log.Restore(new StoredBatch(0, 1, 1700000000001, [1, 2, 3, 4]));
                log.HighWatermark = 2;
                first.State.MarkChanged();
            }
        }

        await using var second = await SandboxCluster.StartAsync(options);
        lock (second.State.Sync)
        {
            var topic = second.State.Topics["payments"];
            Assert.Equal(topicId, topic.TopicId);
            Assert.Equal("1000", topic.Configs["retention.ms"]);
            Assert.Equal(2, topic.Partitions.Count);
            var log = topic.Partitions[1];
            Assert.Equal(2, log.HighWatermark);
            var batch = Assert.Single(log.Batches);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, batch.Bytes);
            Assert.Equal((0L, 1L, 1700000000001L), (batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp));
            Assert.Equal(4, log.SizeInBytes);
        }
    }

    [Fact]
    public async Task A_damaged_log_file_is_reported_with_its_path()
    {
        var options = new SandboxOptions { DataDirectory = _directory };
        await using (var first = await SandboxCluster.StartAsync(options))
        {
            lock (first.State.Sync)
            {
                var topic = first.State.CreateTopic("damaged", 1, 1);
                topic.Partitions[0].Restore(new StoredBatch(0, 0, 1, [9, 9, 9]));
                first.State.MarkChanged();
            }
        }
        var logFile = Directory.GetFiles(Path.Combine(_directory, "logs"), "*.log").Single();
        var bytes = File.ReadAllBytes(logFile);
        File.WriteAllBytes(logFile, bytes[..^5]);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => SandboxCluster.StartAsync(options));
        Assert.Contains(logFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produced_records_and_committed_offsets_survive_a_restart_over_the_wire()
    {
        var options = new SandboxOptions { DataDirectory = _directory };
        await using (var first = await SandboxCluster.StartAsync(options))
        {
            using var producer = new Confluent.Kafka.ProducerBuilder<string, string>(new Confluent.Kafka.ProducerConfig { BootstrapServers = first.BootstrapServers }).Build();
            for (var i = 0; i < 5; i++)
            {
                await producer.ProduceAsync("kept", new Confluent.Kafka.Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
            }
            using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = first.BootstrapServers }).Build();
            await admin.AlterConsumerGroupOffsetsAsync([new Confluent.Kafka.ConsumerGroupTopicPartitionOffsets("billing",
                [new Confluent.Kafka.TopicPartitionOffset("kept", 0, 3)])]);
        }

        await using var second = await SandboxCluster.StartAsync(options);
        using var consumer = new Confluent.Kafka.ConsumerBuilder<string, string>(new Confluent.Kafka.ConsumerConfig
        {
            BootstrapServers = second.BootstrapServers,
            GroupId = "billing",
            EnableAutoCommit = false,
        }).Build();
        var committed = consumer.Committed([new Confluent.Kafka.TopicPartition("kept", 0)], TimeSpan.FromSeconds(20));
        Assert.Equal(3, Assert.Single(committed).Offset.Value);
        consumer.Assign(new Confluent.Kafka.TopicPartitionOffset("kept", 0, 0));
        var values = new List<string>();
        while (values.Count < 5)
        {
            var record = consumer.Consume(TimeSpan.FromSeconds(20)) ?? throw new TimeoutException("records did not come back after the restart");
            values.Add(record.Message.Value);
        }
        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], values);
    }

    [Fact]
    public async Task Each_sandbox_has_its_own_cluster_id_and_a_data_directory_keeps_it()
    {
        await using var other = await SandboxCluster.StartAsync();
        string first;
        await using (var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { DataDirectory = _directory }))
        {
            first = sandbox.State.ClusterId;
            Assert.NotEqual(other.State.ClusterId, first);
            Assert.Equal(22, first.Length);
        }
        await using var restarted = await SandboxCluster.StartAsync(new SandboxOptions { DataDirectory = _directory });
        Assert.Equal(first, restarted.State.ClusterId);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
