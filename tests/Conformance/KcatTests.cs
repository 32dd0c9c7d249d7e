using Kmap.Conformance.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Conformance.Tests;

public class KcatTests
{
    [Fact]
    public Task Metadata_of_a_three_broker_cluster() => ConformanceMatrix.RunAsync("kcat", "metadata (3 brokers)", async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        var result = await ExternalProcess.RunAsync(Clients.Kcat, ["-b", sandbox.BootstrapServers, "-L", "-J"], Clients.Timeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        var brokers = json.RootElement.GetProperty("brokers");
        Assert.Equal(3, brokers.GetArrayLength());
        var ports = brokers.EnumerateArray().Select(b => b.GetProperty("name").GetString()!.Split(':')[1]).ToHashSet();
        Assert.Equal(sandbox.State.Brokers.Select(b => b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(), ports);
    });
}
