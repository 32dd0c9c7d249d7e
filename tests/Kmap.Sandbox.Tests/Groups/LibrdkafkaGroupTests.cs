using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Tests.Support;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>Consumer groups driven by librdkafka (Confluent.Kafka) against a three-broker sandbox.</summary>
public class LibrdkafkaGroupTests
{
    private static SandboxOptions Options() => new()
    {
        BrokerCount = 3,
        Groups = new GroupSettings { InitialRebalanceDelay = TimeSpan.FromMilliseconds(100) },
    };

    private static void Member(ConsumerConfig config, string groupId, string clientId,
        PartitionAssignmentStrategy strategy = PartitionAssignmentStrategy.Range)
    {
        config.GroupId = groupId;
        config.ClientId = clientId;
        config.HeartbeatIntervalMs = 100;
        config.SessionTimeoutMs = 6000;
        config.PartitionAssignmentStrategy = strategy;
    }

    [Theory]
    [InlineData(PartitionAssignmentStrategy.Range, "range")]
    [InlineData(PartitionAssignmentStrategy.RoundRobin, "roundrobin")]
    [InlineData(PartitionAssignmentStrategy.CooperativeSticky, "cooperative-sticky")]
    public async Task Two_consumers_in_one_group_split_a_four_partition_topic_and_commit(PartitionAssignmentStrategy strategy, string protocol)
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "split", 4);
        using (var producer = KafkaClients.Producer(sandbox))
        {
            for (var p = 0; p < 4; p++)
            {
                await producer.ProduceAsync(new TopicPartition("split", p), new Message<byte[], byte[]> { Key = [], Value = [(byte)p] }, Ct);
            }
        }

        using var a = KafkaClients.Consumer(sandbox, c => Member(c, "splitters", "consumer-a", strategy));
        using var b = KafkaClients.Consumer(sandbox, c => Member(c, "splitters", "consumer-b", strategy));
        a.Subscribe("split");
        b.Subscribe("split");
        var consumed = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(a.Assignment.Count == 2 && b.Assignment.Count == 2 && consumed.Count == 4))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no split: a={a.Assignment.Count} b={b.Assignment.Count} consumed={consumed.Count}");
            foreach (var consumer in new[] { a, b })
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { Message: not null } result)
                {
                    consumed.Add(result);
                    consumer.Commit([new TopicPartitionOffset(result.TopicPartition, result.Offset + 1)]);
                }
            }
        }
        Assert.Equal([0, 1, 2, 3], a.Assignment.Concat(b.Assignment).Select(tp => tp.Partition.Value).Order());

        using var admin = KafkaClients.Admin(sandbox);
        var described = (await admin.DescribeConsumerGroupsAsync(["splitters"])).ConsumerGroupDescriptions.Single();
        Assert.Equal(ConsumerGroupState.Stable, described.State);
        Assert.Equal(protocol, described.PartitionAssignor);
        Assert.Equal(["consumer-a", "consumer-b"], described.Members.Select(m => m.ClientId).Order());
        Assert.All(described.Members, m => Assert.Equal(2, m.Assignment.TopicPartitions.Count));

        var offsets = (await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("splitters", null)])).Single();
        Assert.Equal([1L, 1L, 1L, 1L], offsets.Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value));

        a.Close();
        b.Close();
        var listed = await admin.ListConsumerGroupsAsync();
        Assert.Equal(ConsumerGroupState.Empty, listed.Valid.Single(g => g.GroupId == "splitters").State);
    }

    [Fact]
    public async Task Admin_client_restores_offsets_into_a_new_group_and_is_refused_while_a_member_is_live()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "orders", 2);
        using var admin = KafkaClients.Admin(sandbox);

        var altered = await admin.AlterConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitionOffsets("restored", [new TopicPartitionOffset("orders", 0, 123_456), new TopicPartitionOffset("orders", 1, 7)])]);
        Assert.All(altered.Single().Partitions, p => Assert.False(p.Error.IsError));

        var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Empty] });
        var group = listed.Valid.Single(g => g.GroupId == "restored");
        Assert.Equal(ConsumerGroupState.Empty, group.State);
        // Kafka reports protocol type "" for groups made by offset commits; librdkafka calls that a simple group.
        Assert.True(group.IsSimpleConsumerGroup);
        var offsets = (await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("restored", null)])).Single();
        Assert.Equal([123_456L, 7L], offsets.Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value));

        using var consumer = KafkaClients.Consumer(sandbox, c => Member(c, "restored", "live-one"));
        consumer.Subscribe("orders");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (consumer.Assignment.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the consumer never got an assignment");
            consumer.Consume(TimeSpan.FromMilliseconds(50));
        }
        var refused = await Assert.ThrowsAsync<AlterConsumerGroupOffsetsException>(() => admin.AlterConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitionOffsets("restored", [new TopicPartitionOffset("orders", 0, 1)])]));
        Assert.Equal(ErrorCode.UnknownMemberId, refused.Results.Single().Partitions.Single().Error.Code);
        var deleteLive = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["restored"]));
        Assert.Equal(ErrorCode.NonEmptyGroup, deleteLive.Results.Single().Error.Code);

        consumer.Close();
        await admin.DeleteGroupsAsync(["restored"]);
        var deleteUnknown = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["restored"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, deleteUnknown.Results.Single().Error.Code);
    }

    [Fact]
    public async Task A_static_consumer_that_restarts_takes_its_place_back()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "static", 2);
        using var admin = KafkaClients.Admin(sandbox);

        async Task<string> RunOnceAsync()
        {
            using var consumer = KafkaClients.Consumer(sandbox, c =>
            {
                Member(c, "statics", "static-client");
                c.GroupInstanceId = "instance-1";
            });
            consumer.Subscribe("static");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (consumer.Assignment.Count != 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the static consumer never got both partitions");
                consumer.Consume(TimeSpan.FromMilliseconds(50));
            }
            var member = (await admin.DescribeConsumerGroupsAsync(["statics"])).ConsumerGroupDescriptions.Single().Members.Single();
            Assert.Equal("instance-1", member.GroupInstanceId);
            // Static members do not leave on close: the group keeps waiting for the instance.
            consumer.Close();
            return member.ConsumerId;
        }

        var first = await RunOnceAsync();
        Assert.Equal(ConsumerGroupState.Stable, (await admin.DescribeConsumerGroupsAsync(["statics"])).ConsumerGroupDescriptions.Single().State);
        var second = await RunOnceAsync();
        Assert.NotEqual(first, second);
    }
}
