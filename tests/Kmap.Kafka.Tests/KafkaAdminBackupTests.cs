using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Backup;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Sandbox;
using TopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Kafka.Tests;

/// <summary>KafkaAdmin (Confluent.Kafka) against the sandbox: what a backup reads.</summary>
public class KafkaAdminBackupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task CreateTopicsAsync(string bootstrap, params (string Name, int Partitions)[] topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = 1 }));
    }

    private static async Task ProduceAsync(string bootstrap, string topic, int partition, int count, DateTimeOffset? time = null)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 0 }).Build();
        for (var i = 0; i < count; i++)
        {
            var message = new Message<string, string> { Key = "k", Value = $"v{i}" };
            if (time is { } t)
            {
                message.Timestamp = new Timestamp(t.AddSeconds(i));
            }
            await producer.ProduceAsync(new TopicPartition(topic, partition), message, Ct);
        }
    }

    private static IConsumer<string, string> Member(string bootstrap, string group, string topic)
    {
        var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = group,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            SessionTimeoutMs = 10000,
        }).Build();
        consumer.Subscribe(topic);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (consumer.Assignment.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{group} never got an assignment");
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
        return consumer;
    }

    [Fact]
    public async Task Backup_reads_every_group_in_every_state_and_every_committed_partition()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        var bootstrap = sandbox.BootstrapServers;
        await CreateTopicsAsync(bootstrap, ("orders", 3), ("payments", 2), ("audit", 1));
        await ProduceAsync(bootstrap, "orders", 2, 30);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            // An admin-only group: it never had a member, only commits.
            await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("admin-only",
                [new TopicPartitionOffset("orders", 2, 25), new TopicPartitionOffset("payments", 1, 0), new TopicPartitionOffset("audit", 0, 0)])]);
        }
        using var live = Member(bootstrap, "live", "orders");
        live.Commit([new TopicPartitionOffset("orders", 2, 11)]);
        using var idle = Member(bootstrap, "live-no-commits", "audit");
        using var kmap = new KafkaAdmin(new ConnectionSettings { BootstrapServers = bootstrap });

        var result = await new OffsetBackupService(kmap, TimeProvider.System).BackupAsync(new BackupOptions(bootstrap), Ct);

        Assert.Equal(["admin-only", "live"], result.Backup.ConsumerGroups.Select(g => g.Group));
        var adminOnly = result.Backup.ConsumerGroups[0];
        Assert.Equal([("audit", 0, 0L), ("orders", 2, 25L), ("payments", 1, 0L)], adminOnly.Offsets.Select(o => (o.Topic, o.Partition, o.Offset)));
        Assert.Equal((0L, 30L, 5L), (adminOnly.Offsets[1].LogStartOffset!.Value, adminOnly.Offsets[1].LogEndOffset!.Value, adminOnly.Offsets[1].Lag!.Value));
        Assert.Equal(GroupState.Empty, adminOnly.State);
        Assert.Equal(["live-no-commits"], result.GroupsWithoutOffsets);
        var active = Assert.Single(result.ActiveGroups);
        Assert.Equal("live", active.Group);
        Assert.Equal(1, result.Backup.ConsumerGroups[1].MemberCount);
        Assert.Equal(sandbox.State.ClusterId, result.Backup.ClusterId);
    }

    [Fact]
    public async Task Log_range_and_offsets_by_time()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions(), cancellationToken: Ct);
        var t0 = new DateTimeOffset(2026, 1, 20, 15, 30, 0, TimeSpan.Zero);
        await CreateTopicsAsync(sandbox.BootstrapServers, ("events", 1));
        await ProduceAsync(sandbox.BootstrapServers, "events", 0, 10, t0);
        using var kmap = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        var tp = new Kmap.Core.Model.TopicPartition("events", 0);

        var logs = await kmap.ListLogOffsetsAsync([tp, new Kmap.Core.Model.TopicPartition("missing-topic-xyz", 0)], Ct);
        var at = await kmap.ListOffsetsForTimeAsync([tp], t0.AddSeconds(4), Ct);
        var late = await kmap.ListOffsetsForTimeAsync([tp], t0.AddHours(1), Ct);
        var topics = await kmap.ListTopicsAsync(Ct);

        Assert.Equal(new LogOffsets(0, 10), logs[tp]);
        Assert.Single(logs);
        Assert.Equal(4, at[tp]);
        Assert.Null(late[tp]);
        Assert.Equal(1, topics["events"]);
    }

    [Fact]
    public async Task Backup_of_thousands_of_groups_runs_concurrently()
    {
        const int groups = 2000;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: Ct);
        await CreateTopicsAsync(sandbox.BootstrapServers, ("t", 4));
        using var kmap = new KafkaAdmin(new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers });
        await Parallel.ForEachAsync(Enumerable.Range(0, groups), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct }, async (i, ct) =>
            await kmap.AlterOffsetsAsync($"group-{i:D5}", [new CommittedOffset("t", i % 4, 0), new CommittedOffset("t", (i + 1) % 4, 0)], ct));

        var watch = Stopwatch.StartNew();
        var result = await new OffsetBackupService(kmap, TimeProvider.System).BackupAsync(new BackupOptions(sandbox.BootstrapServers) { MaxConcurrency = 32 }, Ct);
        watch.Stop();

        Assert.Equal(groups, result.Backup.ConsumerGroups.Count);
        Assert.All(result.Backup.ConsumerGroups, g => Assert.Equal(2, g.Offsets.Count));
        TestContext.Current.SendDiagnosticMessage($"backup of {groups} groups took {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"backup of {groups} groups took {watch.Elapsed}");
    }
}
