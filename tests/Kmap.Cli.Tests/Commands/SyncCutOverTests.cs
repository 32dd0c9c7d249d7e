using Kmap.Cli.Tests.Support;
using static Kmap.Cli.Tests.Support.SyncHarness;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// A migration cut-over with `kmap sync` running: consumers make progress on the source while a replicator copies the
/// records (with their times) to a target that holds older records in front, so offsets differ. The source consumers
/// stop, one more round runs, the consumers start on the target: nothing is skipped, nothing is read twice; the group
/// becomes active on the target and kmap never writes it again.
/// </summary>
public class SyncCutOverTests
{
    private const string Topic = "orders";
    private const int Partitions = 3;
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-1);

    [Fact]
    public async Task Consumers_moved_to_the_target_after_a_last_round_skip_nothing_and_read_nothing_twice_and_the_group_is_then_left_alone()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await CreateTopicAsync(source.BootstrapServers, Topic, Partitions);
        await CreateTopicAsync(target.BootstrapServers, Topic, Partitions);
        for (var p = 0; p < Partitions; p++)
        {
            // The target's 10 older records in front: the same record is at offset N on the source and N + 10 on the target.
            await ProduceAsync(target.BootstrapServers, Topic, p, "older", 0, 10, Start.AddDays(-1));
            await ProduceAsync(source.BootstrapServers, Topic, p, "o", 0, 200, Start);
        }
        await using var replicator = new TestReplicator(source.BootstrapServers, target.BootstrapServers, Topic, Partitions);
        await using var sync = new RunningSync("--source-brokers", source.BootstrapServers, "--target-brokers", target.BootstrapServers,
            "--translate", "timestamp", "--interval", "300ms");
        var onSource = new RecordingConsumer(source.BootstrapServers, "billing", Topic);
        // The source consumers read while rounds run, and more records arrive.
        await sync.WaitForRoundsAsync(2);
        for (var p = 0; p < Partitions; p++)
        {
            await ProduceAsync(source.BootstrapServers, Topic, p, "o", 200, 100, Start);
        }
        await sync.WaitForAsync(() => onSource.Read.Count >= 150, "150 records read on the source");
        await sync.WaitForRoundsAsync(2);
        // Cut-over: the source consumers stop (committing what they read), the replicator catches up, one more round runs.
        await onSource.DisposeAsync();
        var sourceEnds = Enumerable.Range(0, Partitions).Select(p => LogEnd(source.BootstrapServers, Topic, p)).ToList();
        await sync.WaitForAsync(() => Enumerable.Range(0, Partitions).All(p => LogEnd(target.BootstrapServers, Topic, p) == sourceEnds[p] + 10), "the replicator caught up");
        await sync.WaitForRoundsAsync(2);
        var sourceCommitted = Committed(source.BootstrapServers, "billing", Topic, Partitions);
        var synced = Committed(target.BootstrapServers, "billing", Topic, Partitions);
        Assert.True(Enumerable.Range(0, Partitions).All(p => synced[p] == sourceCommitted[p] + 10),
            $"source {string.Join(",", sourceCommitted)} target {string.Join(",", synced)}\n{sync.Stderr}");

        var onTarget = new RecordingConsumer(target.BootstrapServers, "billing", Topic);
        await sync.WaitForAsync(() => sync.Stderr.Contains("group 'billing' became active on the target", StringComparison.Ordinal), "the hand-over line");
        await sync.WaitForAsync(() => onTarget.Read.Count >= 3 * 300 - sourceCommitted.Values.Sum(), "the target consumer read the rest");
        await onTarget.DisposeAsync();
        var left = Committed(target.BootstrapServers, "billing", Topic, Partitions);
        await sync.WaitForRoundsAsync(3);
        var exit = await sync.StopAsync();

        Assert.Equal(0, exit);
        // Never written again after the hand-over: the target consumer's own commits stay.
        Assert.Equal(left, Committed(target.BootstrapServers, "billing", Topic, Partitions));
        Assert.Equal(1, sync.Stderr.Split('\n').Count(l => l.Contains("became active on the target", StringComparison.Ordinal)));
        for (var p = 0; p < Partitions; p++)
        {
            var before = onSource.Read.Where(r => r.Partition == p).Select(r => r.Value).ToList();
            var after = onTarget.Read.Where(r => r.Partition == p).Select(r => r.Value).ToList();
            var expected = Enumerable.Range(0, 300).Select(i => $"o{p}-{i}").ToList();
            Assert.Empty(expected.Except(before).Except(after));
            Assert.Empty(before.Intersect(after));
            Assert.DoesNotContain(after, v => v.StartsWith("older", StringComparison.Ordinal));
        }
        Assert.Matches(@"kmap: round \d+: 1 group\(s\), \d+ partition\(s\) written, \d+ unchanged, max translation lag 0 s", sync.Stderr);
    }
}
