using Kmap.Core.ClusterMap;

namespace Kmap.Core.Tests.ClusterMap;

public class ClusterComparisonTests
{
    [Fact]
    public void A_map_equals_itself()
    {
        var map = SampleMaps.Small();

        Assert.Empty(ClusterComparison.Compare(map, map, new CompareOptions()));
    }

    [Fact]
    public void Reports_each_kind_of_difference_and_ignores_internal_topics_and_broker_level_configs()
    {
        var source = SampleMaps.Small();
        var orders = source.Topics[0];
        var target = source with
        {
            Topics =
            [
                orders with
                {
                    Partitions = [orders.Partitions[0] with { Replicas = [1] }],
                    Configs = [orders.Configs[0] with { Value = "1000" }, orders.Configs[1], orders.Configs[3]],
                },
                source.Topics[2] with { Partitions = [] },
                new TopicInfo("extra", [new PartitionInfo(0, 1, [1], [1])], []),
            ],
            ConsumerGroups = [source.ConsumerGroups[1] with { Offsets = [new GroupOffsetInfo("orders", 1, 40)] }],
        };

        var differences = ClusterComparison.Compare(source, target, new CompareOptions());

        Assert.Equal(
        [
            new ClusterDifference("topic", "extra", null, "present"),
            new ClusterDifference("partitions", "orders", "2", "1"),
            new ClusterDifference("replication_factor", "orders", "2", "1"),
            new ClusterDifference("config", "orders retention.ms", "86400000", "1000"),
            new ClusterDifference("messages", "orders", "150", "100"),
            new ClusterDifference("topic", "payments.v1", "present", null),
            new ClusterDifference("group", SampleMaps.HostileGroup, "1 committed partitions", null),
            new ClusterDifference("group_offset", "billing orders-1", "50", "40"),
        ], differences);
        Assert.Equal([new ClusterDifference("messages", "orders", "150", "100")],
            ClusterComparison.Compare(source, target, new CompareOptions { Topics = false, Configs = false, Groups = false }));
    }
}
