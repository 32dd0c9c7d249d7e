using System.Text.Json;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>`kmap consumer-groups --format json`: the same rows as the Kafka-style tables, for scripts.</summary>
public class ConsumerGroupsFormatTests
{
    [Fact]
    public async Task List_and_describe_print_their_rows_as_json_with_numbers_and_nulls()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 1, 5);
        await KafkaPython.CommitAsync(sandbox.BootstrapServers, "json-group", ("orders", 0, 3));

        var list = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--list", "--format", "json");
        var describe = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--describe", "--group", "json-group", "--format", "json");
        var table = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--describe", "--group", "json-group");
        var bad = await CliRun.RunAsync("consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--list", "--format", "xml");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("json-group", JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single().GetProperty("group").GetString());
        Assert.True(describe.ExitCode == 0, describe.ToString());
        var row = JsonDocument.Parse(describe.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal("orders", row.GetProperty("topic").GetString());
        Assert.Equal(0, row.GetProperty("partition").GetInt32());
        Assert.Equal(3, row.GetProperty("current_offset").GetInt64());
        Assert.Equal(5, row.GetProperty("log_end_offset").GetInt64());
        Assert.Equal(2, row.GetProperty("lag").GetInt64());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("consumer_id").ValueKind);
        Assert.Contains("has no active members", describe.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^json-group\s+orders\s+0\s+3\s+5\s+2\s+-", table.Stdout);
        Assert.Equal(2, bad.ExitCode);
    }
}
