using System.Diagnostics;
using System.Globalization;

namespace Kmap.Bench;

/// <summary>What one client run cost: wall time and the peak resident memory of its process.</summary>
internal sealed record ProcessOutcome(TimeSpan Wall, long? PeakRssBytes, int ExitCode, string StandardError);

/// <summary>
/// Starts a client as its own process and samples its peak RSS (VmHWM, the kernel's own high-water
/// mark, so a sample taken late still sees an earlier peak) until it exits.
/// </summary>
internal static class ProcessRun
{
    public static async Task<ProcessOutcome> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // kmap shows plain progress lines when stderr is not a terminal; keep them out of the way.
        start.Environment["NO_COLOR"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        long? peak = null;
        using var deadline = new CancellationTokenSource(timeout);
        while (!process.HasExited)
        {
            peak = Math.Max(peak ?? 0, ReadPeakRss(process.Id) ?? 0);
            try
            {
                await Task.Delay(10, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                break;
            }
        }
        await process.WaitForExitAsync();
        clock.Stop();
        await stdout;
        return new ProcessOutcome(clock.Elapsed, peak is 0 ? null : peak, process.ExitCode, await stderr);
    }

    private static long? ReadPeakRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
