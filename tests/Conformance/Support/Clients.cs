namespace Kmap.Conformance.Tests.Support;

/// <summary>Where the external clients live. kafka-python is Debian's, under the system python, not pyenv's.</summary>
public static class Clients
{
    public const string Kcat = "kcat";
    public const string SystemPython = "/usr/bin/python3";
    public const string Node = "node";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The tests/Conformance folder in the source tree (scripts for python and node live there).</summary>
    public static string SourceDirectory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "kmap.slnx")))
            {
                dir = dir.Parent;
            }
            return dir is null
                ? throw new InvalidOperationException("cannot find the repository root (kmap.slnx) above " + AppContext.BaseDirectory)
                : Path.Combine(dir.FullName, "tests", "Conformance");
        }
    }
}
