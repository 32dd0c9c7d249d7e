namespace Kmap.Conformance.Tests.Support;

/// <summary>
/// Records each (client, scenario) outcome to a file that ./test.sh prints as the conformance table.
/// The file is KMAP_CONFORMANCE_RESULTS when set, else conformance-results.tsv in the temp directory.
/// </summary>
public static class ConformanceMatrix
{
    private static readonly object Gate = new();

    public static string ResultsFile =>
        Environment.GetEnvironmentVariable("KMAP_CONFORMANCE_RESULTS") is { Length: > 0 } path
            ? path
            : Path.Combine(Path.GetTempPath(), "kmap-conformance-results.tsv");

    /// <summary>Runs a scenario for a client and records pass or fail; the assertion failure still fails the test.</summary>
    public static async Task RunAsync(string client, string scenario, Func<Task> body)
    {
        var passed = false;
        try
        {
            await body();
            passed = true;
        }
        finally
        {
            lock (Gate)
            {
                File.AppendAllText(ResultsFile, $"{client}\t{scenario}\t{(passed ? "pass" : "FAIL")}\n");
            }
        }
    }
}
