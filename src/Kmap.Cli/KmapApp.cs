using System.CommandLine;
using Kmap.Cli.Commands;

namespace Kmap.Cli;

/// <summary>Builds the command tree and runs it. Exit codes: 0 success, 1 failure, 2 usage error, 3 partial success.</summary>
public static class KmapApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-version"] or ["--version"] or ["-v"])
        {
            Console.Out.WriteLine($"kmap {Version}");
            return ExitCodes.Success;
        }

        var root = new RootCommand("kmap — map Kafka clusters, back up and restore consumer-group offsets.")
        {
            SandboxCommand.Create(),
            DemoCommand.Create(),
        };
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync($"kmap: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Run 'kmap --help' for usage.");
            return ExitCodes.Usage;
        }
        return await result.InvokeAsync();
    }

    public static string Version =>
        typeof(KmapApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
