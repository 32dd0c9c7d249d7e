using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Model;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Backup;

public class OffsetBackupServiceTests
{
    [Fact]
    public async Task Every_group_with_commits_in_any_state_is_backed_up_and_groups_without_are_counted()
    {
        var cluster = new FakeCluster();
        cluster.AddTopic("orders", 2, 0, 100);
        cluster.AddGroup("inactive", GroupState.Empty, ("orders", 1, 40), ("orders", 0, 50));
        cluster.AddGroup("dead-but-committed", GroupState.Dead, ("orders", 0, 7));
        cluster.AddGroup("live", GroupState.Stable, ("orders", 0, 99));
        cluster.Members["live"] = 2;
        cluster.AddGroup("never-committed", GroupState.Stable);
        var service = new OffsetBackupService(cluster, TimeProvider.System);

        var result = await service.BackupAsync(new BackupOptions("c:9092"), TestContext.Current.CancellationToken);

        Assert.Equal(["dead-but-committed", "inactive", "live"], result.Backup.ConsumerGroups.Select(g => g.Group));
        Assert.Equal([("orders", 0, 50L), ("orders", 1, 40L)], result.Backup.ConsumerGroups[1].Offsets.Select(o => (o.Topic, o.Partition, o.Offset)));
        Assert.Equal(["never-committed"], result.GroupsWithoutOffsets);
        Assert.Equal(["live"], result.ActiveGroups.Select(g => g.Group));
        Assert.Equal(2, result.Backup.ConsumerGroups.Single(g => g.Group == "live").MemberCount);
        Assert.Equal(100, result.Backup.ConsumerGroups[0].Offsets[0].LogEndOffset);
        Assert.Equal("fake-cluster", result.Backup.ClusterId);
    }

    [Fact]
    public async Task Offset_reads_run_concurrently_but_bounded()
    {
        var cluster = new FakeCluster { ReadDelay = TimeSpan.FromMilliseconds(20) };
        for (var i = 0; i < 200; i++)
        {
            cluster.AddGroup($"g{i:D3}", GroupState.Empty, ("t", 0, i));
        }
        var service = new OffsetBackupService(cluster, TimeProvider.System);

        var result = await service.BackupAsync(new BackupOptions("c") { MaxConcurrency = 16 }, TestContext.Current.CancellationToken);

        Assert.Equal(200, result.Backup.ConsumerGroups.Count);
        Assert.InRange(cluster.MaxInFlight, 2, 16);
    }

    [Fact]
    public async Task A_group_that_cannot_be_read_fails_the_backup_naming_the_group()
    {
        var cluster = new FakeCluster();
        cluster.AddGroup("ok", GroupState.Empty, ("t", 0, 1));
        cluster.AddGroup("forbidden", GroupState.Empty, ("t", 0, 1));
        cluster.FailingGroups.Add("forbidden");

        var failure = await Assert.ThrowsAsync<ClusterException>(() =>
            new OffsetBackupService(cluster, TimeProvider.System).BackupAsync(new BackupOptions("c"), TestContext.Current.CancellationToken));

        Assert.Contains("cannot back up 1 of 2 consumer group(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("group 'forbidden'", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("group 'ok'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_AllowPartial_a_group_that_cannot_be_read_is_reported_and_the_backup_is_partial()
    {
        var cluster = new FakeCluster();
        cluster.AddGroup("ok", GroupState.Empty, ("t", 0, 1));
        cluster.AddGroup("forbidden", GroupState.Empty, ("t", 0, 1));
        cluster.FailingGroups.Add("forbidden");

        var result = await new OffsetBackupService(cluster, TimeProvider.System).BackupAsync(new BackupOptions("c") { AllowPartial = true }, TestContext.Current.CancellationToken);

        Assert.False(result.IsComplete);
        Assert.Equal("forbidden", result.FailedGroups.Single().Group);
        Assert.Equal(["ok"], result.Backup.ConsumerGroups.Select(g => g.Group));
    }
}
