namespace Kmap.Cli.Tests.Support;

/// <summary>Runs kmap in-process with captured stdout/stderr.</summary>
public static class CliRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KmapApp.RunAsync(args, new CliContext(stdout, stderr, _ => null), TestContext.Current.CancellationToken);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }
}
