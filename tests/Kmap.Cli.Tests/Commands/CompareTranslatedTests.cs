using System.Text.Json;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>`kmap compare` after a translated restore: offsets that differ as numbers but point at the same records are not differences.</summary>
public class CompareTranslatedTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddHours(-2);

    private static Task<SandboxCluster> StartAsync(string id) =>
        SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1, ClusterId = $"{id}-{Guid.NewGuid():N}" }, cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task After_a_verified_timestamp_restore_compare_marks_the_translated_offsets_as_equivalents_and_keeps_real_differences()
    {
        await using var source = await StartAsync("source");
        await using var target = await StartAsync("target");
        // Target: 5 older records first, then copies of the source's 20 with the same record times (offset + 5).
        await KafkaPython.ProduceTimedAsync(source.BootstrapServers, "orders", 0, "order0", 0, 20, Start);
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "older0", 0, 5, Start.AddDays(-1));
        await KafkaPython.ProduceTimedAsync(target.BootstrapServers, "orders", 0, "order0", 0, 20, Start);
        await KafkaPython.CommitAsync(source.BootstrapServers, "billing", ("orders", 0, 7));
        await KafkaPython.CommitAsync(source.BootstrapServers, "done", ("orders", 0, 20));
        await KafkaPython.CommitAsync(source.BootstrapServers, "lost", ("orders", 0, 7));
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        Assert.Equal(0, (await CliRun.RunAsync("backup", "--brokers", source.BootstrapServers, "-o", file)).ExitCode);
        string[] restore = ["--brokers", target.BootstrapServers, "--from", file, "--translate", "timestamp", "--include-groups", "billing,done"];
        var execute = await CliRun.RunAsync(["restore", .. restore, "--execute"]);
        Assert.True(execute.ExitCode == 0, execute.ToString());
        var verify = await CliRun.RunAsync(["verify", .. restore]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        // A group restored wrongly (by hand) must stay a difference.
        await KafkaPython.CommitAsync(target.BootstrapServers, "lost", ("orders", 0, 3));

        string[] compare = ["compare", "--source-brokers", source.BootstrapServers, "--target-brokers", target.BootstrapServers];
        var table = await CliRun.RunAsync(compare);
        var json = await CliRun.RunAsync([.. compare, "--format", "json"]);
        var translatedOnly = await CliRun.RunAsync([.. compare, "--skip", "messages"]);

        Assert.Equal(3, table.ExitCode);
        Assert.Matches(@"group_offset +billing orders-0 +7 +12 +translated: the next record has record time \S+ on both sides", table.Stdout);
        Assert.Matches(@"group_offset +done orders-0 +20 +25 +translated: caught up on both sides", table.Stdout);
        Assert.Matches(@"(?m)^group_offset +lost orders-0 +7 +3 *$", table.Stdout);
        Assert.Contains("messages", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 group offset(s) differ as numbers only", table.Stdout, StringComparison.Ordinal);
        var document = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.False(document.GetProperty("equal").GetBoolean());
        Assert.Equal(2, document.GetProperty("translated_equivalents").GetInt32());
        // Without the message counts (20 and 25: a real difference), only the wrongly restored group differs.
        Assert.True(translatedOnly.ExitCode == 3, translatedOnly.ToString());
        Assert.Contains("1 difference(s); 2 group offset(s) differ as numbers only", translatedOnly.Stdout, StringComparison.Ordinal);
    }
}
