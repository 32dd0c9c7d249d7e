using Kmap.Core.ClusterMap;

namespace Kmap.Core.Tests.ClusterMap;

/// <summary>Cluster maps for the writers' tests, with names chosen to break careless escaping.</summary>
internal static class SampleMaps
{
    public const string HostileGroup = "</script><img src=x onerror=\"window.__pwned=1\">$(touch pwned)`id`'\"\\";
    public const string HostileConfigValue = "'$(touch pwned)'; echo \"`id`\" \\ \n--config evil=1";

    public static Core.ClusterMap.ClusterMap Small()
    {
        var brokers = new List<BrokerInfo>
        {
            new(1, "kafka-1.example", 9092, "rack-a", true),
            new(2, "kafka-2.example", 9092, null, false),
        };
        var topics = new List<TopicInfo>
        {
            new("orders", [
                new PartitionInfo(0, 1, [1, 2], [1, 2]) { LogStartOffset = 10, LogEndOffset = 110 },
                new PartitionInfo(1, 2, [2, 1], [2]) { LogStartOffset = 0, LogEndOffset = 50 },
            ], [
                new TopicConfigEntry("retention.ms", "86400000", ConfigSources.DynamicTopic),
                new TopicConfigEntry("cleanup.policy", HostileConfigValue, ConfigSources.DynamicTopic),
                new TopicConfigEntry("min.insync.replicas", "2", ConfigSources.StaticBroker),
                new TopicConfigEntry("sasl.secret", null, ConfigSources.DynamicTopic) { IsSensitive = true },
            ]),
            new("payments.v1", [new PartitionInfo(0, null, [2], []) { LogStartOffset = 5, LogEndOffset = 5 }], []),
            new("__consumer_offsets", [new PartitionInfo(0, 1, [1], [1]) { LogStartOffset = 0, LogEndOffset = 3 }], []) { IsInternal = true },
        };
        var groups = new List<ConsumerGroupInfo>
        {
            new(HostileGroup, "Empty", [], [new GroupOffsetInfo("orders", 0, 100) { LogEndOffset = 110 }]),
            new("billing", "Stable", [new GroupMemberInfo("m-1", "<b>client</b>", "/10.0.0.1", [new AssignedPartition("orders", 1)])],
                [new GroupOffsetInfo("orders", 1, 50) { LogEndOffset = 50 }]) { ProtocolType = "consumer", Protocol = "range" },
        };
        var map = new Core.ClusterMap.ClusterMap(new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero), "kafka-1.example:9092", "cluster-<id>", 1, brokers, topics, groups);
        return ClusterMapCounts.WithBrokerCounts(map);
    }

    /// <summary>A cluster with many topics and groups, for size thresholds.</summary>
    public static Core.ClusterMap.ClusterMap Large(int topics, int groups)
    {
        var small = Small();
        var topicList = Enumerable.Range(0, topics).Select(i => new TopicInfo($"team{i % 7}.topic-{i}",
            [new PartitionInfo(0, 1, [1, 2], [1, 2]) { LogStartOffset = 0, LogEndOffset = i }], [])).ToList();
        var groupList = Enumerable.Range(0, groups).Select(i => new ConsumerGroupInfo($"app{i % 5}-group-{i}", "Empty", [],
            [new GroupOffsetInfo($"team{i % 7}.topic-{i % topics}", 0, 0) { LogEndOffset = 1 }])).ToList();
        return ClusterMapCounts.WithBrokerCounts(small with { Topics = topicList, ConsumerGroups = groupList });
    }
}
