using Kmap.Core.Cluster;
using Kmap.Core.Csv;
using Kmap.Core.Model;
using Kmap.Core.Restore;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Restore;

/// <summary>Reads of many groups before a reset or restore: batched, with the one-group calls only for what a batch left out.</summary>
public class BatchGroupReadsTests
{
    /// <summary>A FakeCluster with multi-group OffsetFetch, counting every kind of question it is asked.</summary>
    private sealed class BatchingCluster(FakeCluster cluster) : IClusterReader, IBatchOffsetReader
    {
        public HashSet<string> LeftOut { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Overrides { get; } = new(StringComparer.Ordinal);
        public int BatchCalls { get; private set; }
        public List<string> OneGroupReads { get; } = [];
        public List<IReadOnlyCollection<string>> Describes { get; } = [];
        public int ListGroupsCalls { get; private set; }
        public int LogOffsetCalls { get; private set; }

        public async Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>?> ListCommittedOffsetsAsync(IReadOnlyList<string> groups, Action<int>? progress, CancellationToken cancellationToken)
        {
            BatchCalls++;
            var answers = new Dictionary<string, GroupOffsetsAnswer>(StringComparer.Ordinal);
            foreach (var group in groups.Where(g => !LeftOut.Contains(g)))
            {
                answers[group] = Errors.TryGetValue(group, out var error)
                    ? new GroupOffsetsAnswer(null, error)
                    : new GroupOffsetsAnswer((await cluster.ListCommittedOffsetsAsync(group, cancellationToken))
                        .Select(o => Overrides.TryGetValue(group, out var wrong) ? o with { Offset = wrong } : o).ToList(), null);
            }
            return answers;
        }

        public Task<IReadOnlyList<CommittedOffset>> ListCommittedOffsetsAsync(string group, CancellationToken cancellationToken)
        {
            lock (OneGroupReads)
            {
                OneGroupReads.Add(group);
            }
            return cluster.ListCommittedOffsetsAsync(group, cancellationToken);
        }

        public Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken)
        {
            Describes.Add(groups);
            return cluster.DescribeGroupsAsync(groups, cancellationToken);
        }

        public Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken)
        {
            ListGroupsCalls++;
            return cluster.ListGroupsAsync(cancellationToken);
        }

        public Task<IReadOnlyDictionary<TopicPartition, LogOffsets>> ListLogOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
        {
            LogOffsetCalls++;
            return cluster.ListLogOffsetsAsync(partitions, cancellationToken);
        }

        public Task<string?> GetClusterIdAsync(CancellationToken cancellationToken) => cluster.GetClusterIdAsync(cancellationToken);

        public Task<IReadOnlyDictionary<TopicPartition, long?>> ListOffsetsForTimeAsync(IReadOnlyCollection<TopicPartition> partitions, DateTimeOffset time, CancellationToken cancellationToken) =>
            cluster.ListOffsetsForTimeAsync(partitions, time, cancellationToken);

        public Task<IReadOnlyDictionary<string, int>> ListTopicsAsync(CancellationToken cancellationToken) => cluster.ListTopicsAsync(cancellationToken);
    }

    private static (FakeCluster Fake, BatchingCluster Reader, List<string> Groups) Cluster(int groups)
    {
        var fake = new FakeCluster();
        fake.AddTopic("orders", 2, 10, 100);
        var names = Enumerable.Range(0, groups).Select(g => $"g{g:D3}").ToList();
        foreach (var (name, g) in names.Select((n, g) => (n, g)))
        {
            fake.AddGroup(name, GroupState.Empty, ("orders", 0, 10 + g), ("orders", 1, 20 + g));
        }
        return (fake, new BatchingCluster(fake), names);
    }

    [Fact]
    public async Task Committed_offsets_come_from_one_batch_and_only_the_groups_it_left_out_are_read_alone()
    {
        var (_, reader, groups) = Cluster(80);
        reader.LeftOut.Add("g007");

        var committed = await BatchGroupReads.ReadCommittedAsync(reader, groups, 8, TestContext.Current.CancellationToken);

        Assert.Equal(1, reader.BatchCalls);
        Assert.Equal(["g007"], reader.OneGroupReads);
        Assert.Equal(80, committed.Count);
        Assert.Equal(17, committed["g007"][new TopicPartition("orders", 0)]);
        Assert.Equal(99, committed["g079"][new TopicPartition("orders", 1)]);
    }

    [Fact]
    public async Task A_group_the_batch_could_not_read_fails_the_read_by_name()
    {
        var (_, reader, groups) = Cluster(3);
        reader.Errors["g001"] = "cannot read the committed offsets of group 'g001': GROUP_AUTHORIZATION_FAILED";

        var error = await Assert.ThrowsAsync<ClusterException>(() => BatchGroupReads.ReadCommittedAsync(reader, groups, 8, TestContext.Current.CancellationToken));

        Assert.Contains("'g001'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task States_come_from_the_listing_and_only_groups_that_are_not_empty_are_described()
    {
        var (fake, reader, groups) = Cluster(60);
        fake.GroupStates["g005"] = GroupState.Stable;
        fake.Members["g005"] = 2;
        groups.Add("never-seen");

        var descriptions = await BatchGroupReads.DescribeAsync(reader, groups, null, TestContext.Current.CancellationToken);

        Assert.Equal(1, reader.ListGroupsCalls);
        Assert.Equal(["g005"], Assert.Single(reader.Describes));
        Assert.Equal((GroupState.Stable, 2), (descriptions["g005"].State, descriptions["g005"].Members.Count));
        Assert.Equal(GroupState.Empty, descriptions["g042"].State);
        Assert.Equal(GroupState.Dead, descriptions["never-seen"].State);
    }

    [Fact]
    public async Task Even_one_empty_group_is_not_described_one_by_one()
    {
        var (_, reader, groups) = Cluster(1);

        var descriptions = await BatchGroupReads.DescribeAsync(reader, groups, null, TestContext.Current.CancellationToken);

        Assert.Equal(1, reader.ListGroupsCalls);
        Assert.Empty(reader.Describes);
        Assert.Equal(GroupState.Empty, Assert.Single(descriptions.Values).State);
    }

    [Fact]
    public async Task A_reset_of_many_groups_asks_for_log_ranges_once_and_reads_no_group_alone()
    {
        var (fake, reader, groups) = Cluster(120);
        fake.GroupStates["g003"] = GroupState.Stable;
        var csv = string.Concat(groups.Select(g => $"{g},orders,0,50\n{g},orders,1,500\n"));

        var plan = await new ResetPlanner(reader, TimeProvider.System).PlanAsync(
            new ResetRequest([], false, new ResetStrategy.FromFile(ResetCsv.Parse(csv, null))), TestContext.Current.CancellationToken);

        Assert.Equal((1, 1, 0), (reader.LogOffsetCalls, reader.BatchCalls, reader.OneGroupReads.Count));
        Assert.Equal(120, plan.Groups.Count);
        Assert.Equal("Assignments can only be reset if the group 'g003' is inactive, but the current state is Stable.", plan.Groups[3].Error);
        var g010 = plan.Groups[10];
        Assert.Equal([(50L, 20L), (100L, 30L)], g010.Offsets.Select(o => (o.NewOffset, o.Current!.Value)));
        Assert.True(g010.Offsets[1].IsClamped);
    }

    [Fact]
    public async Task The_executor_reads_written_groups_back_together_and_names_the_one_that_differs()
    {
        var (fake, reader, groups) = Cluster(40);
        var plan = new ResetPlan(groups.Select(g => new GroupResetPlan(g, GroupState.Empty, [new PlannedOffset("orders", 0, 60)])).ToList());
        reader.Overrides["g013"] = 59;
        reader.LeftOut.Add("g020");

        var results = await new ResetExecutor(fake).ApplyAsync(plan, new ApplyOptions { MaxConcurrency = 8 }, reader, TestContext.Current.CancellationToken);

        Assert.Equal(1, reader.BatchCalls);
        Assert.Equal(["g020"], reader.OneGroupReads);
        Assert.Equal(["g013"], results.Where(r => !r.Succeeded).Select(r => r.Group));
        Assert.Equal("read-back differs: orders-0: wrote 60, read back 59", results[13].VerifyError);
        Assert.All(groups, g => Assert.Equal(60, fake.Commits[g][new TopicPartition("orders", 0)]));
    }
}
