using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;

namespace Kmap.Kafka.Tests.ClusterMap;

/// <summary>Topic sizes under the sandbox's faults: DescribeLogDirs retries as the offsets requests do (WireRetry).</summary>
public class TopicSizeFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(SandboxCluster Sandbox, ConnectionSettings Settings)> StartAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 3, ReplicationFactor = 2 }]);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers, LingerMs = 0 }).Build();
        for (var p = 0; p < 3; p++)
        {
            await producer.ProduceAsync(new Confluent.Kafka.TopicPartition("orders", p), new Message<string, string> { Key = "k", Value = new string('x', 500) }, Ct);
        }
        return (sandbox, new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
    }

    [Fact]
    public async Task Sizes_survive_dropped_connections_by_reconnecting()
    {
        var (sandbox, settings) = await StartAsync();
        await using var _ = sandbox;
        using var kmap = new KafkaAdmin(settings);
        var clean = await new TopicSizeReader(kmap, settings).ReadAsync(null, Ct);
        // Each connection answers its ApiVersions, then is cut at DescribeLogDirs: only a reconnection (which
        // remembers the broker's versions) gets the sizes. librdkafka's connections send ApiVersions once, so the
        // metadata still comes through.
        sandbox.Faults.Apply(FaultSpec.Parse("drop-after=1@ApiVersions,DescribeLogDirs"));

        var sizes = await new TopicSizeReader(kmap, settings).ReadAsync(null, Ct);

        Assert.Equal(clean, sizes);
        Assert.True(clean[0].SizeBytes > 3 * 500, $"{clean[0]}");
        Assert.True(sandbox.Faults.Counters.Drops >= 3, $"{sandbox.Faults.Counters.Drops} drops");
    }

    [Fact]
    public async Task A_broker_that_never_answers_fails_at_the_deadline_naming_it()
    {
        var (sandbox, settings) = await StartAsync();
        await using var _ = sandbox;
        using var kmap = new KafkaAdmin(settings, TimeSpan.FromSeconds(3));
        sandbox.Faults.Apply(FaultSpec.Parse("drop-after=0@DescribeLogDirs"));

        var error = await Assert.ThrowsAsync<ClusterException>(() => new TopicSizeReader(kmap, settings).ReadAsync(null, Ct));

        Assert.Matches(@"cannot read the log directories of broker 127\.0\.0\.1:\d+ \(id \d\): gave up after ([2-9]|\d\d+) attempt\(s\)", error.Message);
        Assert.Contains("last error:", error.Message, StringComparison.Ordinal);
    }
}
