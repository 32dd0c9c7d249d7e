using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>`kmap consumer-groups` against a sandbox, with kafka-python and kcat as the other side.</summary>
public class ConsumerGroupsCommandTests
{
    private static async Task<SandboxCluster> StartAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 2, 10);
        return sandbox;
    }

    private static async Task WaitForStateAsync(string bootstrap, string group, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var describe = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", bootstrap, "--describe", "--group", group, "--state");
            if (describe.Stdout.Split('\n').Any(l => l.StartsWith(group + " ", StringComparison.Ordinal) && l.Contains($" {state} ", StringComparison.Ordinal)))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"group {group} never reached {state}:\n{describe}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Reset_from_a_kafka_csv_previews_by_default_then_executes_the_same_plan()
    {
        await using var sandbox = await StartAsync();
        using var dir = new TempDirectory();
        var csv = dir.File("offsets.csv");
        File.WriteAllText(csv, "orders,0,4\norders,1,99\n");
        string[] common = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--group=new-group", "--reset-offsets", "--from-file", csv];

        var preview = await CliRun.RunAsync(common);
        var before = await KafkaPython.CommittedAsync(sandbox.BootstrapServers, "new-group", "orders:0");
        var execute = await CliRun.RunAsync([.. common, "--execute"]);

        Assert.True(preview.ExitCode == 0, preview.ToString());
        Assert.Null(before["orders:0"]);
        Assert.Contains("new-group orders 1         10         clamped: 99 is past the log end 10", preview.Stdout, StringComparison.Ordinal);
        Assert.Equal(preview.Stdout, execute.Stdout);
        var after = await KafkaPython.CommittedAsync(sandbox.BootstrapServers, "new-group", "orders:0", "orders:1");
        Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 4, ["orders:1"] = 10 }, after);
    }

    [Fact]
    public async Task An_active_group_is_refused_with_Kafkas_error_line_and_a_non_zero_exit()
    {
        await using var sandbox = await StartAsync();
        await using var member = new KcatConsumer(sandbox.BootstrapServers, "live", "orders");
        await WaitForStateAsync(sandbox.BootstrapServers, "live", "Stable");

        var reset = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--group", "live",
            "--reset-offsets", "--to-earliest", "--all-topics", "--execute");
        var members = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--describe", "--group", "live", "--members");

        Assert.Equal(ExitCodes.Failure, reset.ExitCode);
        Assert.Contains("\nError: Assignments can only be reset if the group 'live' is inactive, but the current state is Stable.\n", reset.Stdout, StringComparison.Ordinal);
        Assert.Contains("GROUP CONSUMER-ID", members.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\nlive +\S+ +\S+ +\S+ +2\n", members.Stdout);
    }

    [Fact]
    public async Task Describe_list_export_and_delete()
    {
        await using var sandbox = await StartAsync();
        await KafkaPython.CommitAsync(sandbox.BootstrapServers, "a", ("orders", 0, 3));
        await KafkaPython.CommitAsync(sandbox.BootstrapServers, "b", ("orders", 1, 8));
        string[] cg = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers];

        var list = await CliRun.RunAsync([.. cg, "--list"]);
        var describe = await CliRun.RunAsync([.. cg, "--describe", "--group", "a"]);
        var export = await CliRun.RunAsync([.. cg, "--all-groups", "--reset-offsets", "--shift-by", "-2", "--all-topics", "--export"]);
        var exportOne = await CliRun.RunAsync([.. cg, "--group", "a", "--reset-offsets", "--to-latest", "--topic", "orders:0", "--export"]);
        var deleteOffsets = await CliRun.RunAsync([.. cg, "--delete-offsets", "--group", "b", "--topic", "orders"]);
        var delete = await CliRun.RunAsync([.. cg, "--delete", "--group", "a"]);
        var listAfter = await CliRun.RunAsync([.. cg, "--list"]);

        Assert.Equal(["a", "b"], list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.Contains("GROUP TOPIC  PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID\na     orders 0         3              10             7   -           -    -\n", describe.Stdout, StringComparison.Ordinal);
        Assert.Equal("a,orders,0,1\nb,orders,1,6\n", export.Stdout);
        Assert.Equal("orders,0,10\n", exportOne.Stdout);
        Assert.True(deleteOffsets.ExitCode == 0, deleteOffsets.ToString());
        Assert.Null((await KafkaPython.CommittedAsync(sandbox.BootstrapServers, "b", "orders:1"))["orders:1"]);
        Assert.Contains("Deletion of requested consumer groups ('a') was successful.", delete.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("a", listAfter.Stdout.Split('\n'));
    }

    [Fact]
    public async Task To_datetime_and_by_duration_find_the_first_record_at_or_after_the_time()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        var start = new DateTimeOffset(2026, 1, 20, 15, 30, 0, TimeSpan.Zero);
        await KafkaPython.ProduceAtAsync(sandbox.BootstrapServers, "events", start, 10);
        string[] reset = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--group", "g", "--reset-offsets", "--topic", "events", "--export"];

        var utc = await CliRun.RunAsync([.. reset, "--to-datetime", "2026-01-20T15:30:04.500"]);
        var zoned = await CliRun.RunAsync([.. reset, "--to-datetime", "2026-01-20T17:30:02.000+02:00"]);
        var future = await CliRun.RunAsync([.. reset, "--to-datetime", "2099-01-01T00:00:00.000Z"]);
        var duration = await CliRun.RunAsync([.. reset, "--by-duration", "P36500D"]);

        Assert.Equal("events,0,5\n", utc.Stdout);
        Assert.Equal("events,0,2\n", zoned.Stdout);
        Assert.Equal("events,0,10\n", future.Stdout);
        Assert.Equal("events,0,0\n", duration.Stdout);
    }

    [Fact]
    public async Task A_csv_naming_a_missing_topic_fails_that_group_with_a_message_naming_the_partition()
    {
        await using var sandbox = await StartAsync();
        using var dir = new TempDirectory();
        var csv = dir.File("offsets.csv");
        File.WriteAllText(csv, "orders,0,1\nnosuch,0,5\n");

        var result = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--group", "g",
            "--reset-offsets", "--from-file", csv, "--execute");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Error: Partitions nosuch-0 of group 'g' do not exist on the cluster", result.Stdout, StringComparison.Ordinal);
        Assert.Null((await KafkaPython.CommittedAsync(sandbox.BootstrapServers, "g", "orders:0"))["orders:0"]);
    }

    [Theory]
    [InlineData("--list", "--describe")]
    [InlineData("--reset-offsets", "--group", "g", "--to-earliest")]
    [InlineData("--reset-offsets", "--group", "g", "--to-earliest", "--to-latest", "--all-topics")]
    [InlineData("--reset-offsets", "--group", "g", "--to-datetime", "yesterday", "--all-topics")]
    [InlineData("--describe")]
    public async Task Usage_errors_exit_2_before_touching_a_cluster(params string[] args)
    {
        var result = await CliRun.RunAsync(["consumer-groups", "--bootstrap-server", "127.0.0.1:1", .. args]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.NotEmpty(result.Stderr);
    }
}
