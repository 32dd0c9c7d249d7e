using System.Globalization;
using System.Text;
using Kmap.Cli.Tests.Support;
using Kmap.Core.Backup;
using Kmap.Core.Model;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// `kmap restore` of many groups: the plan reads the target in batches (states, committed offsets, log ranges),
/// and the written groups are read back together, so round trips do not grow with groups before the writes.
/// </summary>
public class RestoreScaleTests
{
    private const int Groups = 120;

    private static long Offset(int group, int partition, int variant) => ((group + (3 * partition) + variant) % 9) + 1;

    [Fact]
    public async Task A_restore_of_many_groups_plans_in_a_constant_number_of_round_trips_and_verifies_every_group()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 2, 10);
        using var dir = new TempDirectory();
        string[] cg = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers];
        // The target already has every group, at other offsets (variant 0); the backup holds variant 1.
        var existing = new StringBuilder();
        for (var g = 0; g < Groups; g++)
        {
            existing.Append(CultureInfo.InvariantCulture, $"group-{g:D3},orders,0,{Offset(g, 0, 0)}\ngroup-{g:D3},orders,1,{Offset(g, 1, 0)}\n");
        }
        File.WriteAllText(dir.File("existing.csv"), existing.ToString());
        var now = DateTimeOffset.UtcNow;
        var backup = new OffsetBackup(now, sandbox.BootstrapServers, Enumerable.Range(0, Groups).Select(g => new GroupOffsets($"group-{g:D3}",
            [new BackedUpOffset("orders", 0, Offset(g, 0, 1)), new BackedUpOffset("orders", 1, Offset(g, 1, 1))], now)).ToList());
        File.WriteAllText(dir.File("offsets.json"), OffsetBackupJson.Serialize(backup));
        string[] restore = ["restore", "--brokers", sandbox.BootstrapServers, "--from", dir.File("offsets.json"), "--translate", "offset", "--overwrite",
            "--rollback-file", dir.File("rollback.json")];

        var created = await CliRun.RunAsync([.. cg, "--reset-offsets", "--from-file", dir.File("existing.csv"), "--execute"]);
        var before = sandbox.State.Requests.Total;
        var plan = await CliRun.RunAsync(restore);
        var planRoundTrips = sandbox.State.Requests.Total - before;
        var executed = await CliRun.RunAsync([.. restore, "--execute"]);
        var current = await CliRun.RunAsync([.. cg, "--all-groups", "--reset-offsets", "--to-current", "--all-topics", "--export"]);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(plan.ExitCode == 0, plan.ToString());
        // Group by group this was about 11 round trips per group (1,320 here).
        Assert.True(planRoundTrips < Groups / 3, $"planning the restore of {Groups} groups took {planRoundTrips} round trips");
        Assert.True(executed.ExitCode == 0, executed.ToString());
        Assert.Equal(Groups, executed.Stderr.Split('\n').Count(l => l.EndsWith("restored 2 partition(s), read back once every group is written", StringComparison.Ordinal)));
        var expected = string.Concat(Enumerable.Range(0, Groups).Select(g => $"group-{g:D3},orders,0,{Offset(g, 0, 1)}\ngroup-{g:D3},orders,1,{Offset(g, 1, 1)}\n"));
        Assert.Equal(expected, current.Stdout);
    }
}
