using System.Buffers.Binary;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Malformed frames close that one connection (with a log line); the broker keeps serving everyone else.</summary>
public class FramingTests
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private static async Task<(SandboxCluster Sandbox, List<string> Log)> StartAsync()
    {
        var log = new List<string>();
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            MaxFrameBytes = 1024 * 1024,
            Log = line => { lock (log) { log.Add(line); } },
        });
        return (sandbox, log);
    }

    private static async Task AssertBrokerStillServesAsync(SandboxCluster sandbox)
    {
        await using var healthy = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await healthy.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(ApiKey.ApiVersions, 0, new ApiVersionsRequest(null, null), flexible: false);
        Assert.Equal(ErrorCode.None, response.ErrorCode);
    }

    private static async Task AssertClosedAsync(SandboxCluster sandbox, List<string> log, byte[] bytes, string expectedLog)
    {
        await using var bad = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await bad.SendRawAsync(bytes);
        Assert.True(await bad.IsClosedByBrokerAsync(CloseTimeout), "the broker should close a connection that sent a malformed frame");
        lock (log)
        {
            Assert.Contains(log, line => line.Contains(expectedLog, StringComparison.Ordinal));
        }
        await AssertBrokerStillServesAsync(sandbox);
    }

    private static byte[] SizePrefix(int size)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, size);
        return bytes;
    }

    [Fact]
    public async Task Negative_frame_size_closes_the_connection()
    {
        var (sandbox, log) = await StartAsync();
        await using var _ = sandbox;
        await AssertClosedAsync(sandbox, log, SizePrefix(-5), "frame size -5");
    }

    [Fact]
    public async Task Frame_larger_than_the_maximum_closes_the_connection_before_allocating()
    {
        var (sandbox, log) = await StartAsync();
        await using var _ = sandbox;
        await AssertClosedAsync(sandbox, log, SizePrefix(int.MaxValue), "frame size 2147483647");
    }

    [Fact]
    public async Task Truncated_header_closes_the_connection()
    {
        var (sandbox, log) = await StartAsync();
        await using var _ = sandbox;
        // A 3-byte frame cannot hold api key, version and correlation id.
        await AssertClosedAsync(sandbox, log, [.. SizePrefix(3), 0, 18, 0], "truncated");
    }

    [Fact]
    public async Task Unknown_api_key_closes_the_connection()
    {
        var (sandbox, log) = await StartAsync();
        await using var _ = sandbox;
        var writer = new KafkaWriter();
        new RequestHeader((ApiKey)9999, 0, 1, "fuzzer").Write(writer, flexible: false);
        var frame = writer.ToArray();
        await AssertClosedAsync(sandbox, log, [.. SizePrefix(frame.Length), .. frame], "API key 9999 (version 0) from client 'fuzzer' is not enabled in Kafka 4.1");
    }

    [Fact]
    public async Task Unserved_version_of_a_known_api_closes_the_connection()
    {
        var (sandbox, log) = await StartAsync();
        await using var _ = sandbox;
        var writer = new KafkaWriter();
        new RequestHeader(ApiKey.Metadata, 999, 1, "fuzzer").Write(writer, flexible: false);
        var frame = writer.ToArray();
        await AssertClosedAsync(sandbox, log, [.. SizePrefix(frame.Length), .. frame], "Metadata version 999 from client 'fuzzer' is not enabled in Kafka 4.1");
    }

    [Fact]
    public async Task Body_that_lies_about_an_array_length_closes_the_connection()
    {
        var (sandbox, log) = await StartAsync();
        await using var _ = sandbox;
        var writer = new KafkaWriter();
        new RequestHeader(ApiKey.Metadata, 1, 1, "fuzzer").Write(writer, flexible: false);
        writer.Int32(1_000_000); // a million topics, with no bytes behind them
        var frame = writer.ToArray();
        await AssertClosedAsync(sandbox, log, [.. SizePrefix(frame.Length), .. frame], "cannot fit");
    }

    [Fact]
    public async Task Random_garbage_frames_never_take_the_broker_down()
    {
        var (sandbox, _) = await StartAsync();
        await using var __ = sandbox;
        var random = new Random(12345);
        for (var i = 0; i < 50; i++)
        {
            var body = new byte[random.Next(0, 200)];
            random.NextBytes(body);
            await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
            await connection.SendRawAsync([.. SizePrefix(body.Length), .. body]);
            // Whatever it answers, the broker must not hang on this connection forever nor stop serving.
            await connection.IsClosedByBrokerAsync(TimeSpan.FromMilliseconds(200));
        }
        await AssertBrokerStillServesAsync(sandbox);
    }
}
