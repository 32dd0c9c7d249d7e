using System.Diagnostics;

namespace Kmap.Cli.Tests.Support;

/// <summary>A live group member: `kcat -G group topic` running until disposed.</summary>
public sealed class KcatConsumer : IAsyncDisposable
{
    private readonly Process process;

    public KcatConsumer(string bootstrap, string group, string topic)
    {
        var info = new ProcessStartInfo("kcat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-b", bootstrap, "-G", group, "-q", topic })
        {
            info.ArgumentList.Add(arg);
        }
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
