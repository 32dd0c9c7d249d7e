using System.Buffers.Binary;
using System.Net.Sockets;
using Kmap.Cli.Tests.Support;

namespace Kmap.Cli.Tests;

public class SandboxCommandTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Prints_the_bootstrap_list_alone_on_the_first_line_and_stops_cleanly_on_a_signal(string signal)
    {
        using var process = KmapProcess.Start("sandbox", "--brokers", "3", "--listen", "127.0.0.1:0");
        var stderr = process.StandardError.ReadToEndAsync();
        var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(firstLine);
        var brokers = firstLine.Split(',');
        Assert.Equal(3, brokers.Length);
        foreach (var broker in brokers)
        {
            var (host, port) = (broker[..broker.LastIndexOf(':')], int.Parse(broker[(broker.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal("127.0.0.1", host);
            using var client = new TcpClient();
            await client.ConnectAsync(host, port);
        }

        KmapProcess.Signal(process, signal);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("stopping", await stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_busy_port_is_a_clear_error_not_a_stack_trace()
    {
        using var occupied = new TcpListener(System.Net.IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((System.Net.IPEndPoint)occupied.LocalEndpoint).Port;
        var (exit, _, stderr) = await KmapProcess.RunAsync(TimeSpan.FromSeconds(60), "sandbox", "--listen", $"127.0.0.1:{port}");
        Assert.Equal(1, exit);
        Assert.Contains("cannot start", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_prints_the_version()
    {
        var (exit, stdout, _) = await KmapProcess.RunAsync(TimeSpan.FromSeconds(60), "-version");
        Assert.Equal(0, exit);
        Assert.Matches(@"^kmap \d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public async Task A_bad_seed_group_is_a_usage_error_naming_the_syntax()
    {
        var (exit, _, stderr) = await KmapProcess.RunAsync(TimeSpan.FromSeconds(60), "sandbox", "--seed-group", "share:audit=orders@5");
        Assert.Equal(2, exit);
        Assert.Contains("--seed-group 'share:audit=orders@5'", stderr, StringComparison.Ordinal);
        Assert.Contains("TOPIC/PARTITION@OFFSET", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kafka_version_picks_the_release_whose_api_versions_the_brokers_advertise()
    {
        using var process = KmapProcess.Start("sandbox", "--kafka-version", "2.8");
        var stderr = process.StandardError.ReadToEndAsync();
        var bootstrap = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotNull(bootstrap);
        var colon = bootstrap.LastIndexOf(':');
        using var client = new TcpClient();
        await client.ConnectAsync(bootstrap[..colon], int.Parse(bootstrap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var stream = client.GetStream();
        // ApiVersions v0: size, api key 18, version 0, correlation id 1, client id "t".
        await stream.WriteAsync(new byte[] { 0, 0, 0, 11, 0, 18, 0, 0, 0, 0, 0, 1, 0, 1, (byte)'t' });
        var size = new byte[4];
        await stream.ReadExactlyAsync(size);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(body);
        var ranges = new Dictionary<short, (short Min, short Max)>();
        for (var i = 0; i < BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(6)); i++)
        {
            var entry = body.AsSpan(10 + (6 * i));
            ranges[BinaryPrimitives.ReadInt16BigEndian(entry)] = (BinaryPrimitives.ReadInt16BigEndian(entry[2..]), BinaryPrimitives.ReadInt16BigEndian(entry[4..]));
        }
        // Kafka 2.8.2: Metadata 0-11, OffsetFetch 0-7, FindCoordinator 0-3.
        Assert.Equal((0, 11), ranges[3]);
        Assert.Equal((0, 7), ranges[9]);
        Assert.Equal((0, 3), ranges[10]);

        KmapProcess.Signal(process, "TERM");
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);
        await stderr;
    }

    [Fact]
    public async Task An_unknown_kafka_version_is_a_usage_error_naming_the_profiles()
    {
        var (exit, _, stderr) = await KmapProcess.RunAsync(TimeSpan.FromSeconds(60), "sandbox", "--kafka-version", "1.1");
        Assert.Equal(2, exit);
        Assert.Contains("--kafka-version: no profile for '1.1'; use one of 2.8, 3.9, 4.1", stderr, StringComparison.Ordinal);
    }
}
