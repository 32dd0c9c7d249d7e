using System.Text.Json;
using Kmap.Cli.Tests.Support;

namespace Kmap.Cli.Tests.Commands;

public sealed class DemoCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kmap-demo-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Demo_backs_up_the_groups_it_ran_at_the_positions_they_reached()
    {
        var run = await CliRun.RunAsync("demo", "--output-dir", _directory);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Started a sandbox cluster: 3 brokers", run.Stdout, StringComparison.Ordinal);

        // The consumers read 600, 250 and 120 records and committed the next offsets: the backup must sum to those.
        using var backup = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "consumer-offsets.json")));
        var sums = backup.RootElement.GetProperty("consumer_groups").EnumerateArray().ToDictionary(
            g => g.GetProperty("group").GetString()!,
            g => g.GetProperty("topics").EnumerateObject().Sum(t => t.Value.EnumerateArray().Sum(p => p.GetProperty("offset").GetInt64())));
        Assert.Equal(new Dictionary<string, long> { ["billing"] = 600, ["fraud-check"] = 120, ["shipping"] = 250 }, sums);
        Assert.True(File.Exists(Path.Combine(_directory, "restore-offsets.sh")));
        // The cut-over act: one round of kmap sync moves the target's positions to the source's later ones.
        Assert.Contains("kmap: round 1: 1 group(s), 2 partition(s) written, 1 unchanged", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("clicks-0: source offset 20 -> 'click-0-20'   target offset 30 -> 'click-0-20'   same record", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
