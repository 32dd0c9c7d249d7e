using System.Net.Sockets;
using Kmap.Cli.Tests.Support;

namespace Kmap.Cli.Tests;

/// <summary>`kmap sandbox --faults SPEC`: refused with the bad entry named, documented in --help, and obeyed.</summary>
public class SandboxFaultsOptionTests
{
    [Fact]
    public async Task A_bad_spec_is_a_usage_error_naming_the_entry()
    {
        // The sandbox command writes to the process's own stderr, so it runs as a process.
        var (exit, stdout, stderr) = await KmapProcess.RunAsync(TimeSpan.FromSeconds(60), "sandbox", "--faults", "seed=7;error=0.2:NOT_COORDINATR@OffsetFetch");

        Assert.Equal(2, exit);
        Assert.Contains("kmap sandbox: --faults: fault 'error=0.2:NOT_COORDINATR@OffsetFetch': unknown error code 'NOT_COORDINATR'", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task An_outage_of_a_broker_that_does_not_exist_cannot_start()
    {
        var (exit, _, stderr) = await KmapProcess.RunAsync(TimeSpan.FromSeconds(60), "sandbox", "--brokers", "2", "--faults", "down=5:100");

        Assert.Equal(1, exit);
        Assert.Contains("cannot start: fault 'down=5:…' names broker 5, but the cluster has brokers 0..1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_documents_the_grammar()
    {
        var result = await CliRun.RunAsync("sandbox", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var entry in new[] { "seed=N", "drop-after=N[@APIS]", "error=FRACTION:CODE[@APIS]", "stall=[FRACTION:]MS|forever[@APIS]", "down=BROKER:FROM_MS[-UNTIL_MS]", "move-coordinators=EVERY_MS" })
        {
            Assert.Contains(entry, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_timetabled_outage_closes_that_brokers_port_while_the_others_serve()
    {
        using var process = KmapProcess.Start("sandbox", "--brokers", "2", "--faults", "down=1:0-600000");
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var firstLine = await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.NotNull(firstLine);
        var ports = firstLine.Split(',').Select(b => int.Parse(b[(b.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await AcceptsAsync(ports[1]))
        {
            Assert.True(DateTime.UtcNow < deadline, "broker 1 still accepts connections");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.True(await AcceptsAsync(ports[0]));

        KmapProcess.Signal(process, "TERM");
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("fault: broker 1 stopped", await stderr, StringComparison.Ordinal);
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
