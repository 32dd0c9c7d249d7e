namespace Kmap.Bench;

/// <summary>Where the bench finds the repository, the kmap build and the baseline scripts.</summary>
internal static class BenchPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The kmap executable bench/run.sh built (the launcher's own build output).</summary>
    public static string Kmap => Environment.GetEnvironmentVariable("KMAP_BENCH_CLI") ?? Path.Combine(Root, ".build", "kmap", "kmap");

    public static string Baselines => Path.Combine(Root, "bench", "baselines");

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "kmap.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("cannot find the kmap repository above " + AppContext.BaseDirectory);
    }
}
