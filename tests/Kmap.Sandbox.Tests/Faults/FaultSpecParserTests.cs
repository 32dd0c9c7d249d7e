using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Faults;

public class FaultSpecParserTests
{
    [Fact]
    public void A_full_spec_reads_into_its_rules()
    {
        var spec = FaultSpec.Parse(" seed=7; drop-after=50 ;error=0.2:NOT_COORDINATOR@OffsetCommit,offsetfetch;error=1:request_timed_out;"
            + "stall=5000@OffsetFetch;stall=0.5:forever;down=1:2000-7000;down=2:100;move-coordinators=3000;");

        Assert.Equal(7, spec.Seed);
        Assert.Equal(new DropRule(50, null), spec.Drop);
        Assert.Equal(2, spec.Errors.Count);
        Assert.Equal(0.2, spec.Errors[0].Fraction);
        Assert.Equal(ErrorCode.NotCoordinator, spec.Errors[0].Code);
        Assert.Equal([ApiKey.OffsetCommit, ApiKey.OffsetFetch], spec.Errors[0].Apis.Order());
        // Without '@', an error goes to every API that can answer it.
        Assert.Equal(ErrorCode.RequestTimedOut, spec.Errors[1].Code);
        Assert.Contains(ApiKey.Produce, spec.Errors[1].Apis);
        Assert.Contains(ApiKey.OffsetFetch, spec.Errors[1].Apis);
        Assert.DoesNotContain(ApiKey.Metadata, spec.Errors[1].Apis);
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Stalls[0].Delay);
        Assert.Equal(1.0, spec.Stalls[0].Fraction);
        Assert.Equal([ApiKey.OffsetFetch], spec.Stalls[0].Apis);
        Assert.Null(spec.Stalls[1].Delay);
        Assert.Equal(0.5, spec.Stalls[1].Fraction);
        Assert.DoesNotContain(ApiKey.ApiVersions, spec.Stalls[1].Apis);
        Assert.Equal([new BrokerOutage(1, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(7)), new BrokerOutage(2, TimeSpan.FromMilliseconds(100), null)], spec.Outages);
        Assert.Equal(TimeSpan.FromSeconds(3), spec.MoveCoordinatorsEvery);
    }

    [Fact]
    public void No_offsets_reads_GROUP_ID_NOT_FOUND_only_and_touches_requests()
    {
        Assert.True(FaultSpec.Parse("no-offsets=group_id_not_found").GroupIdNotFoundWithoutOffsets);
        Assert.False(FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND").AffectsNoRequest);
        Assert.False(FaultSpec.Parse("seed=1").GroupIdNotFoundWithoutOffsets);
        Assert.Contains("is not GROUP_ID_NOT_FOUND", Assert.Throws<FormatException>(() => FaultSpec.Parse("no-offsets=NOT_COORDINATOR")).Message, StringComparison.Ordinal);
        Assert.Contains("takes no '@API' list", Assert.Throws<FormatException>(() => FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND@OffsetFetch")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Coordinator_errors_default_to_group_apis_and_leader_errors_to_partition_apis()
    {
        var spec = FaultSpec.Parse("error=0.5:COORDINATOR_LOAD_IN_PROGRESS;error=0.5:NOT_LEADER_OR_FOLLOWER");

        Assert.Contains(ApiKey.OffsetCommit, spec.Errors[0].Apis);
        Assert.Contains(ApiKey.Heartbeat, spec.Errors[0].Apis);
        Assert.DoesNotContain(ApiKey.Produce, spec.Errors[0].Apis);
        Assert.Equal([ApiKey.Produce, ApiKey.Fetch, ApiKey.ListOffsets], spec.Errors[1].Apis.Order());
    }

    [Fact]
    public void An_empty_spec_touches_no_request()
    {
        Assert.True(FaultSpec.Parse("").AffectsNoRequest);
        Assert.True(FaultSpec.Parse(" ; ").AffectsNoRequest);
        Assert.True(FaultSpec.Parse("seed=3;down=0:10").AffectsNoRequest);
    }

    [Theory]
    [InlineData("explode=1", "fault 'explode=1': unknown fault 'explode'")]
    [InlineData("seed", "fault 'seed': 'seed' is not NAME=VALUE")]
    [InlineData("seed=x", "fault 'seed=x': seed 'x' is not a whole number")]
    [InlineData("drop-after=-1", "fault 'drop-after=-1': request count '-1' is not a whole number ≥ 0")]
    [InlineData("drop-after=1;drop-after=2", "fault 'drop-after=2': drop-after is given twice")]
    [InlineData("error=0.2", "fault 'error=0.2': '0.2' is not FRACTION:CODE")]
    [InlineData("error=1.5:NOT_COORDINATOR", "fault 'error=1.5:NOT_COORDINATOR': fraction '1.5' is not a number in (0, 1]")]
    [InlineData("error=0:NOT_COORDINATOR", "fraction '0' is not a number in (0, 1]")]
    [InlineData("error=0.2:NOT_COORDINATR", "fault 'error=0.2:NOT_COORDINATR': unknown error code 'NOT_COORDINATR' (known: NOT_COORDINATOR,")]
    [InlineData("error=0.2:NOT_COORDINATOR@OffsetFetch,Fetchh", "fault 'error=0.2:NOT_COORDINATOR@OffsetFetch,Fetchh': unknown API 'Fetchh'")]
    [InlineData("error=0.2:NOT_COORDINATOR@Produce", "Produce cannot answer NOT_COORDINATOR (it can be injected on OffsetCommit,")]
    [InlineData("error=0.2:NOT_COORDINATOR@9", "unknown API '9'")]
    [InlineData("stall=soon@OffsetFetch", "fault 'stall=soon@OffsetFetch': stall in ms (or 'forever') 'soon' is not a whole number ≥ 0")]
    [InlineData("down=1", "fault 'down=1': '1' is not BROKER:FROM_MS[-UNTIL_MS]")]
    [InlineData("down=1:500-100", "fault 'down=1:500-100': the broker must come back after it stops (100 ms is not after 500 ms)")]
    [InlineData("seed=1@Produce", "fault 'seed=1@Produce': this fault takes no '@API' list")]
    [InlineData("move-coordinators=0", "fault 'move-coordinators=0': interval in ms '0' is not a whole number ≥ 1")]
    public void A_bad_entry_is_refused_with_a_message_naming_it(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => FaultSpec.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_of_a_broker_the_cluster_does_not_have_is_refused_at_start()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SandboxCluster.StartAsync(
            new SandboxOptions { BrokerCount = 2, Faults = FaultSpec.Parse("down=2:100") }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("broker 2, but the cluster has brokers 0..1", error.Message, StringComparison.Ordinal);
    }
}
