using Kmap.Core.ClusterMap;

namespace Kmap.Core.Tests.ClusterMap;

public class LagGrowthTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 20, 15, 30, 0, TimeSpan.Zero);

    private static ConsumerGroupInfo Group(string name, int members, params (int Partition, long Offset, long End)[] offsets) =>
        new(name, members == 0 ? "Empty" : "Stable",
            Enumerable.Range(0, members).Select(i => new GroupMemberInfo($"m-{i}", "client", "/10.0.0.1", [])).ToList(),
            offsets.Select(o => new GroupOffsetInfo("orders", o.Partition, o.Offset) { LogEndOffset = o.End }).ToList());

    [Fact]
    public void A_group_that_consumes_nothing_while_the_log_grows_is_growing_with_its_numbers()
    {
        var growth = LagGrowth.Between(LagGrowth.SampleBasis, Group("g", 0, (0, 10, 20), (1, 5, 5)), T0, Group("g", 0, (0, 10, 45), (1, 5, 10)), T0.AddSeconds(10));

        Assert.Equal((10L, 40L, 30L, 30L, 0L), (growth.LagBefore, growth.LagAfter, growth.Growth, growth.Produced, growth.Consumed));
        Assert.Equal((10.0, 3.0, 3.0, 0.0), (growth.IntervalSeconds, growth.GrowthPerSecond, growth.ProducedPerSecond, growth.ConsumedPerSecond));
        Assert.True(growth.IsGrowing);
    }

    [Fact]
    public void A_consumer_that_keeps_up_with_a_little_commit_jitter_is_not_growing()
    {
        // 100 produced, 96 consumed: lag 2 -> 6 is the commit interval, not a group falling behind.
        var growth = LagGrowth.Between(LagGrowth.SampleBasis, Group("g", 1, (0, 98, 100)), T0, Group("g", 1, (0, 194, 200)), T0.AddSeconds(10));

        Assert.Equal((4L, 100L, 96L), (growth.Growth, growth.Produced, growth.Consumed));
        Assert.False(growth.IsGrowing);
    }

    [Fact]
    public void A_consumer_reading_less_than_half_of_what_is_produced_is_growing()
    {
        var growth = LagGrowth.Between(LagGrowth.SampleBasis, Group("g", 1, (0, 0, 0)), T0, Group("g", 1, (0, 30, 100)), T0.AddSeconds(5));

        Assert.Equal((70L, 30L), (growth.Growth, growth.Consumed));
        Assert.True(growth.IsGrowing);
    }

    [Fact]
    public void A_reset_backwards_is_not_negative_consumption_and_shrinking_lag_is_not_growth()
    {
        var reset = LagGrowth.Between(LagGrowth.SampleBasis, Group("g", 0, (0, 50, 100)), T0, Group("g", 0, (0, 10, 100)), T0.AddSeconds(5));
        var draining = LagGrowth.Between(LagGrowth.SampleBasis, Group("g", 1, (0, 0, 100)), T0, Group("g", 1, (0, 90, 100)), T0.AddSeconds(5));

        Assert.Equal((0L, 40L), (reset.Consumed, reset.Growth));
        Assert.True(reset.IsGrowing);
        Assert.Equal(-90L, draining.Growth);
        Assert.False(draining.IsGrowing);
    }

    [Fact]
    public void Warnings_name_growing_groups_with_the_numbers_and_no_longer_guess_from_one_snapshot()
    {
        var map = SampleMaps.Small() with
        {
            ConsumerGroups = [Group("stalled", 0, (0, 10, 20)), Group("steady-idle", 0, (1, 5, 8)), Group("fine", 1, (0, 20, 20))],
        };
        var later = map with
        {
            ConsumerGroups = [Group("stalled", 0, (0, 10, 70)), Group("steady-idle", 0, (1, 5, 8)), Group("fine", 1, (0, 70, 70))],
        };

        var sampled = LagGrowth.Apply(map, LagGrowth.SampleBasis, map.ConsumerGroups, T0, later.ConsumerGroups, T0.AddSeconds(5));
        var warnings = ClusterWarnings.Of(sampled).Where(w => w.StartsWith("Group", StringComparison.Ordinal)).ToList();
        var oneSample = ClusterWarnings.Of(map).Where(w => w.StartsWith("Group", StringComparison.Ordinal)).ToList();

        Assert.Equal(["Group stalled: lag growing: 10 -> 60 in 5 s (+10 records/s; produced 10/s, consumed 0/s, no active member)"], warnings);
        Assert.Equal(["Group stalled: lag 10 and no active member (the lag can only grow)", "Group steady-idle: lag 3 and no active member (the lag can only grow)"], oneSample);
    }

    [Fact]
    public void Growth_since_a_previous_map_uses_the_times_the_offsets_were_read_and_survives_the_json()
    {
        var before = SampleMaps.Small() with { ConsumerGroups = [Group("stalled", 0, (0, 10, 20))], OffsetsReadAt = T0 };
        var now = before with { ConsumerGroups = [Group("stalled", 0, (0, 10, 620))], OffsetsReadAt = T0.AddMinutes(1), Timestamp = T0.AddMinutes(2) };

        var map = ClusterMapJson.Deserialize(ClusterMapJson.Serialize(LagGrowth.SincePrevious(now, before)));

        var growth = map.ConsumerGroups.Single().LagGrowth!;
        Assert.Equal((LagGrowth.PreviousBasis, 60.0, 600L, 10.0), (growth.Basis, growth.IntervalSeconds, growth.Growth, growth.GrowthPerSecond));
        Assert.Equal(T0.AddMinutes(1), map.OffsetsReadAt);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("2.5", 2_500)]
    [InlineData("0", 0)]
    public void Sample_intervals_read_as_go_durations(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), LagSampleInterval.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("ten seconds")]
    [InlineData("5x")]
    [InlineData("-5s")]
    public void Bad_sample_intervals_say_what_is_accepted(string text) =>
        Assert.Contains("e.g. 10s", Assert.Throws<FormatException>(() => LagSampleInterval.Parse(text)).Message, StringComparison.Ordinal);
}
