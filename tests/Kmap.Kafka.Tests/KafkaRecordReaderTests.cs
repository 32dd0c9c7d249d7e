using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Sandbox;
using CoreTopicPartition = Kmap.Core.Model.TopicPartition;

namespace Kmap.Kafka.Tests;

/// <summary>KafkaRecordReader against the sandbox: record times of many partitions in one read, no group left behind.</summary>
public class KafkaRecordReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset T0 = new(2026, 1, 20, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Reads_the_times_of_the_asked_offsets_of_every_partition_and_joins_no_group()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new TopicSpecification { Name = "t", NumPartitions = 3, ReplicationFactor = 1 }]);
        }
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            for (var p = 0; p < 3; p++)
            {
                for (var i = 0; i < 200; i++)
                {
                    // Large values: a small fetch limit must still get the asked record, not the whole log.
                    producer.Produce(new Confluent.Kafka.TopicPartition("t", p), new Message<Null, string> { Value = new string('x', 1000), Timestamp = new Timestamp(T0.AddSeconds(p * 1000 + i)) });
                }
            }
            producer.Flush(Ct);
        }
        var reader = new KafkaRecordReader(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });

        var times = await reader.ReadRecordTimesAsync(new Dictionary<CoreTopicPartition, OffsetRange>
        {
            [new("t", 0)] = new(10, 12),
            [new("t", 1)] = new(199, 201),
            [new("t", 2)] = new(150, 151),
            [new("missing", 0)] = new(0, 1),
        }, Ct);
        var raw = await reader.ReadTopicAsync("t", Ct);

        Assert.Equal([new RecordTime(10, T0.AddSeconds(10)), new RecordTime(11, T0.AddSeconds(11))], times[new("t", 0)]);
        Assert.Equal([new RecordTime(199, T0.AddSeconds(1199))], times[new("t", 1)]);
        Assert.Equal([new RecordTime(150, T0.AddSeconds(2150))], times[new("t", 2)]);
        Assert.False(times.ContainsKey(new("missing", 0)));
        Assert.Equal(600, raw.Count);
        using var kmapAdmin = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        Assert.Empty(await kmapAdmin.ListGroupsAsync(Ct));
    }
}
