using System.Diagnostics;
using System.Globalization;

namespace Kmap.Bench;

/// <summary>
/// Start-up of kmap for the commands a generated script or a person runs most: wall time from process start to
/// exit, single-file self-contained (dist/linux-x64/kmap) against the framework-dependent build. Target: under 150 ms.
/// </summary>
internal static class StartupBenchmark
{
    private const int Runs = 20;
    private const double TargetMs = 150;

    public static async Task<int> RunAsync(string root)
    {
        var builds = new (string Name, string Program, string[] Prefix)[]
        {
            ("single-file (dist/linux-x64)", Path.Combine(root, "dist", "linux-x64", "kmap"), []),
            ("framework-dependent apphost", Path.Combine(root, "src", "Kmap.Cli", "bin", "Release", "net10.0", "kmap"), []),
            ("dotnet kmap.dll", "dotnet", [Path.Combine(root, "src", "Kmap.Cli", "bin", "Release", "net10.0", "kmap.dll")]),
        };
        string[][] commands = [["-version"], ["consumer-groups", "--help"], ["config", "list"]];
        var rows = new List<string[]>();
        var failed = false;
        foreach (var (name, program, prefix) in builds)
        {
            if (program != "dotnet" && !File.Exists(program))
            {
                Console.Error.WriteLine($"missing {program}: run ./build.sh release linux-x64 and ./build.sh");
                return 1;
            }
            foreach (var command in commands)
            {
                var times = new List<double>();
                for (var i = 0; i < Runs + 2; i++)
                {
                    var ms = await TimeAsync(program, [.. prefix, .. command]);
                    if (i >= 2)
                    {
                        times.Add(ms); // the first two warm the page cache and the single-file extraction
                    }
                }
                times.Sort();
                var median = times[times.Count / 2];
                var verdict = name.StartsWith("single-file", StringComparison.Ordinal) ? (median < TargetMs ? "ok" : "OVER") : "";
                failed |= verdict == "OVER";
                rows.Add([name, "kmap " + string.Join(' ', command), F(times[0]), F(median), F(times[(int)(times.Count * 0.9)]), verdict]);
            }
        }
        Table.Print(["build", "command", "min ms", "median ms", "p90 ms", $"< {TargetMs} ms"], rows);
        Console.WriteLine($"\n{Runs} runs each after 2 warm-ups; load average at the end: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} cores");
        return failed ? 1 : 0;
    }

    private static async Task<double> TimeAsync(string program, string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // An empty config: the numbers must not depend on the machine's contexts.
        info.Environment["KMAP_CONFIG"] = Path.Combine(Path.GetTempPath(), "kmap-bench-no-config.yaml");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        }
        return elapsed;
    }

    private static string F(double ms) => ms.ToString("0", CultureInfo.InvariantCulture);
}
