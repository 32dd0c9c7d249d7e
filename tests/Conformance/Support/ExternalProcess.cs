using System.Diagnostics;
using System.Text;

namespace Kmap.Conformance.Tests.Support;

/// <summary>Runs a client written elsewhere (kcat, python3, node) with a hard time limit; never hangs a test.</summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, byte[] StandardOutputBytes, string StandardError, bool TimedOut)
    {
        /// <summary>Standard output as UTF-8 text; <see cref="StandardOutputBytes"/> keeps binary output exact.</summary>
        public string StandardOutput => Encoding.UTF8.GetString(StandardOutputBytes);

        public override string ToString() => $"exit {ExitCode}{(TimedOut ? " (timed out)" : "")}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout,
        byte[]? standardInput = null, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = ReadAllAsync(process.StandardOutput.BaseStream);
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(standardInput);
        }
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return new Result(timedOut ? -1 : process.ExitCode, await stdout, await stderr, timedOut);
    }

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
