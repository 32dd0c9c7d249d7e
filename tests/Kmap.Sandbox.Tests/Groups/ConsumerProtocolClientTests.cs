using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Tests.Support;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>librdkafka (Confluent.Kafka) consumers with group.protocol=consumer (KIP-848) against the sandbox.</summary>
public class ConsumerProtocolClientTests
{
    private static SandboxOptions Options() => new()
    {
        BrokerCount = 3,
        Groups = new GroupSettings { ConsumerHeartbeatIntervalMs = 200 },
    };

    private static void Member(ConsumerConfig config, string groupId, string clientId)
    {
        config.GroupId = groupId;
        config.ClientId = clientId;
        config.GroupProtocol = GroupProtocol.Consumer;
    }

    [Fact]
    public async Task Two_consumer_protocol_members_split_a_topic_consume_and_commit()
    {
        await using var sandbox = await SandboxCluster.StartAsync(Options(), cancellationToken: Ct);
        CreateTopic(sandbox, "kip848", 4);
        using (var producer = KafkaClients.Producer(sandbox))
        {
            for (var p = 0; p < 4; p++)
            {
                await producer.ProduceAsync(new TopicPartition("kip848", p), new Message<byte[], byte[]> { Key = [], Value = [(byte)p] }, Ct);
            }
        }

        using var a = KafkaClients.Consumer(sandbox, c => Member(c, "next-gen", "consumer-a"));
        using var b = KafkaClients.Consumer(sandbox, c => Member(c, "next-gen", "consumer-b"));
        a.Subscribe("kip848");
        b.Subscribe("kip848");
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

        lock (sandbox.State.Sync)
        {
            var group = sandbox.State.Groups.Find("next-gen")!;
            Assert.Equal(GroupType.Consumer, group.Type);
            Assert.Equal("Stable", group.Modern!.StateName());
            Assert.Equal(2, group.Modern.Members.Count);
            Assert.All(group.Modern.Members.Values, m => Assert.Equal(group.Modern.AssignmentEpoch, m.MemberEpoch));
        }

        using var admin = KafkaClients.Admin(sandbox);
        var offsets = (await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("next-gen", null)])).Single();
        Assert.Equal([1L, 1L, 1L, 1L], offsets.Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value));

        a.Close();
        b.Close();
        lock (sandbox.State.Sync)
        {
            var group = sandbox.State.Groups.Find("next-gen")!;
            Assert.Equal("Empty", group.Modern!.StateName());
        }
    }
}
