using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>
/// `kmap -topic-sizes` (its own process) under sandbox faults, as the backup's fault rows: DescribeLogDirs goes
/// over the Wire client and retries cut connections; a broker that never answers is named while kmap retries it
/// and when it gives up, with exit 3.
/// </summary>
public class TopicSizesFaultTests
{
    private static async Task<SandboxCluster> StartAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("orders", 3, 2);
        }
        return sandbox;
    }

    [Fact]
    public async Task Dropped_connections_are_retried()
    {
        await using var sandbox = await StartAsync();
        // Every connection answers its ApiVersions and is then cut at DescribeLogDirs: only a reconnection gets the sizes.
        sandbox.Faults.Apply(FaultSpec.Parse("drop-after=1@ApiVersions,DescribeLogDirs"));
        using var dir = new TempDirectory();

        var run = await KmapBinary.RunAsync(dir.Path, null, ["-brokers", sandbox.BootstrapServers, "-topic-sizes"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("\norders ", "\n" + run.Stdout, StringComparison.Ordinal);
        Assert.True(sandbox.Faults.Counters.Drops >= 3, $"{sandbox.Faults.Counters.Drops} drops\n{run}");
    }

    [Fact]
    public async Task A_broker_that_never_answers_is_named()
    {
        await using var sandbox = await StartAsync();
        sandbox.Faults.Apply(FaultSpec.Parse("drop-after=0@DescribeLogDirs"));
        using var dir = new TempDirectory();

        var run = await KmapBinary.RunAsync(dir.Path, null, ["-brokers", sandbox.BootstrapServers, "-timeout", "3", "-topic-sizes"]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Matches(@"cannot read topic sizes: cannot read the log directories of broker 127\.0\.0\.1:\d+ \(id \d\): gave up after", run.Stderr);
        // Named while kmap waits on it, not only when it gives up (the same notice as the offsets requests').
        Assert.Matches(@"kmap: retrying 127\.0\.0\.1:\d+ for up to \d+ s \(.+\)", run.Stderr);
    }
}
