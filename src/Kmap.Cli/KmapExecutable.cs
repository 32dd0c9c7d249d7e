namespace Kmap.Cli;

/// <summary>Where this kmap lives, so generated scripts can call it back.</summary>
internal static class KmapExecutable
{
    /// <summary>Absolute path of the kmap executable; null when this process is not kmap (`dotnet kmap.dll`, a test host).</summary>
    public static string? Path
    {
        get
        {
            var path = Environment.ProcessPath;
            if (path is null)
            {
                return null;
            }
            var name = System.IO.Path.GetFileNameWithoutExtension(path);
            return string.Equals(name, "kmap", StringComparison.Ordinal) ? System.IO.Path.GetFullPath(path) : null;
        }
    }
}
