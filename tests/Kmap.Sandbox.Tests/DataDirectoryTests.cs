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

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
