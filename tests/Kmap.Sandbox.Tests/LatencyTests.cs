using System.Diagnostics;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>--latency-ms is a delay line: each response leaves N ms after its request arrived, and pipelined requests overlap.</summary>
public class LatencyTests
{
    [Fact]
    public async Task Pipelined_requests_overlap_their_delays_and_keep_their_order()
    {
        var latency = TimeSpan.FromMilliseconds(300);
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { Latency = latency });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);

        const int Pipelined = 5;
        var clock = Stopwatch.StartNew();
        for (var id = 1; id <= Pipelined; id++)
        {
            var writer = new KafkaWriter();
            new RequestHeader(ApiKey.ApiVersions, 0, id, "latency-test").Write(writer, flexible: false);
            await connection.SendFrameAsync(writer.ToArray());
        }
        for (var id = 1; id <= Pipelined; id++)
        {
            var frame = await connection.ReadFrameAsync() ?? throw new IOException("closed");
            Assert.Equal(id, new KafkaReader(frame).Int32());
        }
        clock.Stop();

        // Never earlier than the link delay; far less than five delays in a row (that would be a sleep in the request loop).
        Assert.True(clock.Elapsed >= latency - TimeSpan.FromMilliseconds(20), $"answered after {clock.Elapsed}, before the {latency} delay");
        Assert.True(clock.Elapsed < latency * 3, $"five pipelined requests took {clock.Elapsed}: delays did not overlap");
    }
}
