using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;

namespace Kmap.Cli.Tests;

/// <summary>kafka-python 2.0.2 (Debian's) against injected coordinator errors: unlike librdkafka it retries OffsetFetch itself.</summary>
public class KafkaPythonFaultTests
{
    [Theory]
    [InlineData("NOT_COORDINATOR")]
    [InlineData("COORDINATOR_LOAD_IN_PROGRESS")]
    public async Task Kafka_python_reads_committed_offsets_despite_thirty_percent_coordinator_errors(string code)
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 3, 30);
        await KafkaPython.CommitAsync(sandbox.BootstrapServers, "readers", ("orders", 0, 4), ("orders", 1, 5), ("orders", 2, 6));

        sandbox.Faults.Apply(FaultSpec.Parse($"seed=7;error=0.3:{code}@OffsetFetch"));
        // Each committed() call is one OffsetFetch: 9 of them.
        for (var round = 0; round < 3; round++)
        {
            var committed = await KafkaPython.CommittedAsync(sandbox.BootstrapServers, "readers", "orders:0", "orders:1", "orders:2");
            Assert.Equal(new Dictionary<string, long?> { ["orders:0"] = 4, ["orders:1"] = 5, ["orders:2"] = 6 }, committed);
        }
        var injected = sandbox.Faults.Counters.Errors(ApiKey.OffsetFetch);
        Assert.True(injected > 0, "no error was injected, so kafka-python's retry was not exercised");
        Assert.True(sandbox.Faults.Counters.Requests(ApiKey.OffsetFetch) > injected, "kafka-python did not ask again after an error");
    }
}
