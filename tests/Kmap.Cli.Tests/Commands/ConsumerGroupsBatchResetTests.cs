using System.Globalization;
using System.Text;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// `kmap consumer-groups --reset-offsets --from-file` for many groups in one call (the restore script's batch
/// mode): the plan reads every group in batches, so its round trips grow with groups / batch, not with groups.
/// </summary>
public class ConsumerGroupsBatchResetTests
{
    private const int Groups = 150;

    private static string Csv(Func<int, int, long> offset)
    {
        var text = new StringBuilder();
        for (var g = 0; g < Groups; g++)
        {
            for (var p = 0; p < 2; p++)
            {
                text.Append(CultureInfo.InvariantCulture, $"group-{g:D3},orders,{p},{offset(g, p)}\n");
            }
        }
        return text.ToString();
    }

    [Fact]
    public async Task Many_groups_are_planned_in_batches_and_every_group_is_written_as_planned()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 2, 10);
        using var dir = new TempDirectory();
        var first = dir.File("first.csv");
        var second = dir.File("second.csv");
        File.WriteAllText(first, Csv((g, p) => (g + p) % 10));
        File.WriteAllText(second, Csv((g, p) => (g + p + 3) % 10));
        string[] cg = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers];

        // The groups do not exist yet: the first file creates them.
        var created = await CliRun.RunAsync([.. cg, "--reset-offsets", "--from-file", first, "--execute"]);
        // Now every group has offsets: planning the second file reads them all (states, committed offsets, log ranges).
        var before = sandbox.State.Requests.Total;
        var preview = await CliRun.RunAsync([.. cg, "--reset-offsets", "--from-file", second, "--export"]);
        var planRoundTrips = sandbox.State.Requests.Total - before;
        var executed = await CliRun.RunAsync([.. cg, "--reset-offsets", "--from-file", second, "--execute", "--export"]);
        var current = await CliRun.RunAsync([.. cg, "--all-groups", "--reset-offsets", "--to-current", "--all-topics", "--export"]);

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.True(executed.ExitCode == 0, executed.ToString());
        Assert.Equal(File.ReadAllText(second), preview.Stdout);
        Assert.Equal(preview.Stdout, executed.Stdout);
        // Group by group this was about 5 round trips per group (750 here); batched it is a constant handful.
        Assert.True(planRoundTrips < Groups / 3, $"planning {Groups} groups took {planRoundTrips} round trips");
        Assert.Equal(File.ReadAllText(second), current.Stdout);
    }

    [Fact]
    public async Task In_a_batch_an_active_group_is_refused_by_name_and_the_others_are_written()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 2, 10);
        await using var member = new KcatConsumer(sandbox.BootstrapServers, "group-007", "orders");
        using var dir = new TempDirectory();
        var csv = dir.File("offsets.csv");
        File.WriteAllText(csv, Csv((g, p) => (g + p) % 10));
        string[] cg = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await CliRun.RunAsync([.. cg, "--describe", "--group", "group-007", "--state"])).Stdout.Contains(" Stable ", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "group-007 never became Stable");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var result = await CliRun.RunAsync([.. cg, "--reset-offsets", "--from-file", csv, "--execute", "--export"]);
        var current = await CliRun.RunAsync([.. cg, "--all-groups", "--reset-offsets", "--to-current", "--all-topics", "--export"]);

        Assert.Equal(ExitCodes.Partial, result.ExitCode);
        Assert.Contains("\nError: Assignments can only be reset if the group 'group-007' is inactive, but the current state is Stable.\n", result.Stdout, StringComparison.Ordinal);
        var expected = string.Concat(File.ReadAllLines(csv).Where(l => !l.StartsWith("group-007,", StringComparison.Ordinal)).Select(l => l + "\n"));
        // The read-back refuses group-007 too (still active): keep the CSV lines of the others.
        var written = current.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("group-", StringComparison.Ordinal) && !l.StartsWith("group-007,", StringComparison.Ordinal));
        Assert.Equal(expected, string.Concat(written.Select(l => l + "\n")));
    }
}
