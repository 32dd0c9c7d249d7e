using System.Diagnostics;
using Confluent.Kafka;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>The sandbox must hold big clusters cheaply and take produce traffic at a useful rate.</summary>
public class LogCapacityTests
{
    private readonly ITestOutputHelper _output;

    public LogCapacityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_thousand_topics_of_ten_partitions_take_little_memory()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var topics = Enumerable.Range(0, 1000)
            .Select(i => new CreatableTopic($"capacity-topic-{i:D4}", 10, 3, [], [new CreatableTopicConfig("retention.ms", "86400000")]))
            .ToList();
        var response = await connection.RoundTripAsync<CreateTopicsRequest, CreateTopicsResponse>(
            ApiKey.CreateTopics, 7, new CreateTopicsRequest(topics, 60000, false), flexible: true);
        Assert.All(response.Topics, t => Assert.Equal(Protocol.ErrorCode.None, t.ErrorCode));
        response = null;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var megabytes = (after - before) / (1024.0 * 1024.0);
        _output.WriteLine($"1,000 topics x 10 partitions: {megabytes:F1} MiB");
        lock (sandbox.State.Sync)
        {
            Assert.Equal(10_000, sandbox.State.Topics.Values.Sum(t => t.Partitions.Count));
        }
        Assert.True(megabytes < 64, $"1,000 topics x 10 partitions took {megabytes:F1} MiB");
    }

    [Fact]
    public async Task Produce_and_fetch_throughput_are_measured()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("throughput", 4, 1);
        }
        const int count = 100_000;
        var value = new byte[100];
        using var producer = KafkaClients.Producer(sandbox, c => { c.LingerMs = 5; c.BatchSize = 256 * 1024; });
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            while (true)
            {
                try
                {
                    producer.Produce("throughput", new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i), Value = value });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(10));
                }
            }
        }
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        clock.Stop();
        var rate = count / clock.Elapsed.TotalSeconds;
        _output.WriteLine($"{count} records of 100 bytes in {clock.ElapsedMilliseconds} ms: {rate:F0} records/s");
        lock (sandbox.State.Sync)
        {
            Assert.Equal(count, sandbox.State.Topics["throughput"].Partitions.Sum(p => p.HighWatermark));
        }
        Assert.True(rate > 10_000, $"only {rate:F0} records/s");

        using var consumer = KafkaClients.Consumer(sandbox);
        consumer.Assign(Enumerable.Range(0, 4).Select(p => new TopicPartitionOffset("throughput", p, Offset.Beginning)));
        clock.Restart();
        var received = KafkaClients.ConsumeAll(consumer, count, TimeSpan.FromSeconds(60));
        clock.Stop();
        var fetchRate = received.Count / clock.Elapsed.TotalSeconds;
        _output.WriteLine($"{received.Count} records fetched in {clock.ElapsedMilliseconds} ms: {fetchRate:F0} records/s");
        Assert.Equal(count, received.Count);
        Assert.True(fetchRate > 10_000, $"only {fetchRate:F0} records/s fetched");
    }
}
