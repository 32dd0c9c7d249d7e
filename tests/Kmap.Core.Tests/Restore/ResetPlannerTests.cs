using Kmap.Core.Csv;
using Kmap.Core.Model;
using Kmap.Core.Restore;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Restore;

public class ResetPlannerTests
{
    private static FakeCluster Cluster()
    {
        var cluster = new FakeCluster();
        cluster.AddTopic("orders", 2, 10, 100);
        cluster.AddGroup("g", GroupState.Empty, ("orders", 0, 50));
        return cluster;
    }

    private static Task<ResetPlan> Plan(FakeCluster cluster, ResetStrategy strategy, string topic = "orders", string group = "g") =>
        new ResetPlanner(cluster, TimeProvider.System).PlanAsync(
            new ResetRequest([group], false, strategy) { Topics = [TopicSelection.Parse(topic)] }, TestContext.Current.CancellationToken);

    [Fact]
    public async Task To_offset_is_clamped_into_the_log_and_marked()
    {
        var plan = await Plan(Cluster(), new ResetStrategy.ToOffset(500));

        Assert.All(plan.Groups[0].Offsets, o => Assert.Equal((100L, 500L, true), (o.NewOffset, o.Requested!.Value, o.IsClamped)));
        Assert.Equal(2, plan.ClampedCount);
    }

    [Fact]
    public async Task Shift_by_moves_from_the_committed_offset_and_clamps_at_the_log_start()
    {
        var plan = await Plan(Cluster(), new ResetStrategy.ShiftBy(-45), "orders:0");

        var row = Assert.Single(plan.Groups[0].Offsets);
        Assert.Equal((10L, 5L), (row.NewOffset, row.Requested!.Value));
        Assert.Contains("before the log start", row.ClampNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Earliest_latest_current_and_time_strategies()
    {
        var cluster = Cluster();
        var t = new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero);
        cluster.Timestamps[new TopicPartition("orders", 0)] = [(t, 42)];

        Assert.Equal([10L, 10L], (await Plan(cluster, new ResetStrategy.ToEarliest())).Groups[0].Offsets.Select(o => o.NewOffset));
        Assert.Equal([100L, 100L], (await Plan(cluster, new ResetStrategy.ToLatest())).Groups[0].Offsets.Select(o => o.NewOffset));
        Assert.Equal([50L, 100L], (await Plan(cluster, new ResetStrategy.ToCurrent())).Groups[0].Offsets.Select(o => o.NewOffset));
        // Partition 1 has no record that recent: the log end, as Kafka does.
        Assert.Equal([42L, 100L], (await Plan(cluster, new ResetStrategy.ToDateTime(t.AddSeconds(-1)))).Groups[0].Offsets.Select(o => o.NewOffset));
    }

    [Fact]
    public async Task An_active_group_is_refused_with_Kafkas_message()
    {
        var cluster = Cluster();
        cluster.GroupStates["g"] = "Stable";

        var plan = await Plan(cluster, new ResetStrategy.ToEarliest());

        Assert.False(plan.Groups[0].CanApply);
        Assert.Equal("Assignments can only be reset if the group 'g' is inactive, but the current state is Stable.", plan.Groups[0].Error);
    }

    [Fact]
    public async Task From_file_then_execute_writes_exactly_the_plan_and_a_missing_partition_fails_the_group()
    {
        var cluster = Cluster();
        var rows = ResetCsv.Parse("orders,0,20\norders,1,30\n", "new-group");
        var planner = new ResetPlanner(cluster, TimeProvider.System);
        var plan = await planner.PlanAsync(new ResetRequest(["new-group"], false, new ResetStrategy.FromFile(rows)), TestContext.Current.CancellationToken);

        var applied = await new ResetExecutor(cluster).ApplyAsync(plan, TestContext.Current.CancellationToken);

        Assert.True(applied.Single().Succeeded);
        Assert.Equal(20, cluster.Commits["new-group"][new TopicPartition("orders", 0)]);
        Assert.Equal(30, cluster.Commits["new-group"][new TopicPartition("orders", 1)]);

        var missing = await planner.PlanAsync(new ResetRequest(["x"], false, new ResetStrategy.FromFile(ResetCsv.Parse("orders,7,1\n", "x"))), TestContext.Current.CancellationToken);
        Assert.Contains("orders-7", missing.Groups[0].Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-20T15:30:04.000", "2026-01-20T15:30:04Z")]
    [InlineData("2026-01-20T15:30:04.123Z", "2026-01-20T15:30:04.123Z")]
    [InlineData("2026-01-20T17:30:04.000+02:00", "2026-01-20T15:30:04Z")]
    [InlineData("2026-01-20T17:30:04.000+0200", "2026-01-20T15:30:04Z")]
    public void To_datetime_formats_of_kafka(string text, string expectedUtc)
    {
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), ResetTimeParser.ParseDateTime(text));
    }

    [Fact]
    public void By_duration_reads_iso_durations_and_refuses_months()
    {
        Assert.Equal(TimeSpan.FromHours(26), ResetTimeParser.ParseDuration("P1DT2H"));
        Assert.Equal(TimeSpan.FromMinutes(30), ResetTimeParser.ParseDuration("PT30M"));
        Assert.Throws<FormatException>(() => ResetTimeParser.ParseDuration("P1M"));
        Assert.Throws<FormatException>(() => ResetTimeParser.ParseDuration("yesterday"));
    }
}
