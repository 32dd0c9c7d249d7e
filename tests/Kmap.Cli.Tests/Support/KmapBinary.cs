namespace Kmap.Cli.Tests.Support;

/// <summary>The real kmap executable built beside the tests, run as a separate process like a user would.</summary>
public static class KmapBinary
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "kmap");

    public static Task<ProcessRunner.Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        ProcessRunner.RunAsync(Path, args, environment: environment, workingDirectory: workingDirectory);
}
