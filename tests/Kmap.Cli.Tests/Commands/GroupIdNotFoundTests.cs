using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// Issue 16, item 5: brokers that answer OffsetFetch for a group without offsets with GROUP_ID_NOT_FOUND (Kafka answers
/// no error and offset -1) are read as "no offsets" by restore, verify and backup (sandbox fault `no-offsets=GROUP_ID_NOT_FOUND`).
/// </summary>
public class GroupIdNotFoundTests
{
    private static readonly DateTimeOffset TwoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);

    private static Task<SandboxCluster> StartAsync(string id) =>
        SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = $"{id}-{Guid.NewGuid():N}" }, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task Restore_into_a_fresh_cluster_and_verify_read_GROUP_ID_NOT_FOUND_as_no_offsets()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing-copy", ("orders", 0, 6));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        var backup = await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        target.Faults.Apply(FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND"));

        var plan = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset");
        var execute = await CliRun.RunAsync("restore", "--brokers", target.BootstrapServers, "--from", file, "--translate", "offset", "--execute");
        var verify = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", file);

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.True(target.Faults.Counters.Errors(ApiKey.OffsetFetch) > 0, "the target answered GROUP_ID_NOT_FOUND at least once");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.DoesNotContain("GROUP_ID_NOT_FOUND", plan.Stderr, StringComparison.Ordinal);
        Assert.True(execute.ExitCode == 0, execute.ToString());
        Assert.DoesNotContain("GROUP_ID_NOT_FOUND", execute.Stderr, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        target.Faults.Clear();
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 6 }, await KafkaPython.CommittedAsync(target.BootstrapServers, "billing-copy", "orders:0"));
    }

    [Fact]
    public async Task Verify_of_a_group_the_target_does_not_have_reports_it_missing_not_a_read_failure()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing-copy", ("orders", 0, 6));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");
        await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file);
        var expected = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", file);
        target.Faults.Apply(FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND"));

        var verify = await CliRun.RunAsync("verify", "--brokers", target.BootstrapServers, "--from", file);

        Assert.True(target.Faults.Counters.Errors(ApiKey.OffsetFetch) > 0, "the target answered GROUP_ID_NOT_FOUND at least once");
        Assert.DoesNotContain("GROUP_ID_NOT_FOUND", verify.Stderr + verify.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected.ExitCode, verify.ExitCode);
        Assert.Equal(expected.Stdout, verify.Stdout);
    }

    [Fact]
    public async Task Backup_of_a_listed_group_that_has_no_offsets_any_more_completes()
    {
        await using var cluster = await StartAsync("cluster");
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "billing", ("orders", 0, 6));
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "ghost", ("orders", 0, 3));
        // Still listed, no offsets: as a group deleted between ListGroups and OffsetFetch looks to such a broker.
        Assert.Equal(ErrorCode.None, cluster.State.Groups.DeleteOffsets("ghost", [("orders", 0)]).Error);
        cluster.Faults.Apply(FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND"));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");

        var backup = await CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);
        var compat = await CliRun.RunAsync("-brokers", cluster.BootstrapServers, "-save-offsets", dir.File("compat.json"));

        Assert.True(cluster.Faults.Counters.Errors(ApiKey.OffsetFetch) > 0, "the cluster answered GROUP_ID_NOT_FOUND at least once");
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.DoesNotContain("GROUP_ID_NOT_FOUND", backup.Stderr, StringComparison.Ordinal);
        var text = File.ReadAllText(file);
        Assert.Contains("\"billing\"", text, StringComparison.Ordinal);
        Assert.True(compat.ExitCode == 0, compat.ToString());
        Assert.Contains("\"billing\"", File.ReadAllText(dir.File("compat.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_of_a_group_deleted_between_ListGroups_and_OffsetFetch_completes_without_it()
    {
        await using var cluster = await StartAsync("cluster");
        await KafkaPython.ProduceTimedAsync(cluster.BootstrapServers, "orders", 0, "order0", 0, 10, TwoHoursAgo);
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "billing", ("orders", 0, 6));
        await KafkaPython.CommitAsync(cluster.BootstrapServers, "ghost", ("orders", 0, 3));
        // OffsetFetch waits until the group is gone; then the broker answers it with GROUP_ID_NOT_FOUND.
        cluster.Faults.Apply(FaultSpec.Parse("stall=forever@OffsetFetch;no-offsets=GROUP_ID_NOT_FOUND"));
        using var dir = new TempDirectory();
        var file = dir.File("b.json");

        var backupRun = CliRun.RunAsync("backup", "--brokers", cluster.BootstrapServers, "-o", file);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (cluster.Faults.Counters.Stalls(ApiKey.OffsetFetch) == 0 && !backupRun.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.True(cluster.Faults.Counters.Stalls(ApiKey.OffsetFetch) > 0, backupRun.IsCompleted ? (await backupRun).ToString() : "no OffsetFetch within 20 s");
        Assert.Equal(ErrorCode.None, cluster.State.Groups.DeleteGroup("ghost"));
        cluster.Faults.Apply(FaultSpec.Parse("no-offsets=GROUP_ID_NOT_FOUND"));
        cluster.Faults.ReleaseStalls();
        var backup = await backupRun;

        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.True(cluster.Faults.Counters.Errors(ApiKey.OffsetFetch) > 0, "the cluster answered GROUP_ID_NOT_FOUND for the deleted group");
        Assert.DoesNotContain("GROUP_ID_NOT_FOUND", backup.Stderr, StringComparison.Ordinal);
        var text = File.ReadAllText(file);
        Assert.Contains("\"billing\"", text, StringComparison.Ordinal);
        // No offsets, as Kafka answers for a deleted group: nothing of it to back up.
        Assert.DoesNotContain("\"ghost\"", text, StringComparison.Ordinal);
    }
}
