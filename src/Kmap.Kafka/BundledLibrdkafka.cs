using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Kmap.Kafka;

/// <summary>
/// Loads the librdkafka kmap ships (librdkafka.redist), never another one on the machine: Confluent.Kafka left to
/// itself opens whatever "librdkafka.so" the loader finds first (Debian's 2.0.2 from librdkafka-dev, a directory on
/// LD_LIBRARY_PATH), and an older librdkafka kills kmap with EntryPointNotFoundException or a segmentation fault.
/// Every Confluent.Kafka client is configured through <see cref="KafkaClientConfig"/>, which calls
/// <see cref="EnsureLoaded"/> first.
/// </summary>
public static class BundledLibrdkafka
{
    private static readonly Lock Gate = new();
    private static string? loadedPath;

    /// <summary>The file loaded, once <see cref="EnsureLoaded"/> has succeeded.</summary>
    public static string? LoadedPath => loadedPath;

    /// <summary>Loads the bundled librdkafka by its full path, once per process; throws <see cref="BundledLibrdkafkaException"/> when it cannot.</summary>
    public static void EnsureLoaded()
    {
        if (loadedPath is not null)
        {
            return;
        }
        lock (Gate)
        {
            if (loadedPath is not null)
            {
                return;
            }
            var candidates = Candidates();
            var present = candidates.Where(File.Exists).ToList();
            if (present.Count == 0)
            {
                throw new BundledLibrdkafkaException(
                    $"cannot find kmap's bundled librdkafka for {Rid()} (looked for {string.Join(", ", candidates)}): " +
                    "rebuild kmap (./kmap rebuilds when sources change; remove .build/ to force it) or download the release binary again.");
            }
            // librdkafka.redist ships variants (Linux: one linked against libsasl2.so.3, one self-contained): the first
            // that loads here is used, in Confluent.Kafka's own order.
            var path = present.FirstOrDefault(candidate => NativeLibrary.TryLoad(candidate, out _));
            if (path is null)
            {
                var why = Explain(present[0]);
                throw new BundledLibrdkafkaException(
                    $"cannot load kmap's bundled librdkafka {present[0]}: {why} (rebuild kmap, or download the release binary again).");
            }
            try
            {
                // Resolve Confluent.Kafka's [DllImport("librdkafka")] (and its centos8-/alpine- variants) to this very file,
                // not to a library the loader finds by name. Library.Load(path) is not enough, and fails where libdl.so (a
                // -dev package) is missing: it dlopens the file through [DllImport("libdl")], then binds by name anyway.
                var handle = NativeLibrary.Load(path);
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                    name.Contains("rdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero);
                Library.Load();
                // Bind every entry point now: a wrong library fails here, in one line, not later in a client.
                _ = Library.Version;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                          or InvalidOperationException)
            {
                throw new BundledLibrdkafkaException(
                    $"cannot load kmap's bundled librdkafka {path}: {FirstLine(e.Message)} (rebuild kmap, or download the release binary again).", e);
            }
            loadedPath = path;
        }
    }

    /// <summary>
    /// Where the bundled library may be: beside the program, under runtimes/RID/native (framework-dependent build), and in
    /// the directories the host probes for native libraries (a single-file binary's extraction directory).
    /// </summary>
    internal static IReadOnlyList<string> Candidates()
    {
        var files = FileNames();
        var directories = new List<string>();
        var baseDirectory = AppContext.BaseDirectory;
        directories.Add(Path.Combine(baseDirectory, "runtimes", Rid(), "native"));
        directories.Add(baseDirectory);
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searched)
        {
            directories.AddRange(searched.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        return directories
            .SelectMany(directory => files.Select(file => Path.GetFullPath(Path.Combine(directory, file))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The runtime identifier of librdkafka.redist's folders: linux-x64, linux-arm64, osx-arm64, win-x64…</summary>
    internal static string Rid()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }

    /// <summary>
    /// The library's file names in librdkafka.redist, in Confluent.Kafka's order of preference: on glibc Linux the build
    /// linked against the system's libsasl2.so.3, then the self-contained one; musl systems (Alpine) have their own.
    /// </summary>
    internal static IReadOnlyList<string> FileNames()
    {
        if (OperatingSystem.IsWindows())
        {
            return ["librdkafka.dll"];
        }
        if (OperatingSystem.IsMacOS())
        {
            return ["librdkafka.dylib"];
        }
        return IsMusl() ? ["alpine-librdkafka.so"] : ["librdkafka.so", "centos8-librdkafka.so"];
    }

    private static string Explain(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return "it loads only now";
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return FirstLine(e.Message);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal) || File.Exists("/etc/alpine-release");
}

/// <summary>kmap's own librdkafka could not be found or loaded; the message names the path and what to do.</summary>
public sealed class BundledLibrdkafkaException : Exception
{
    public BundledLibrdkafkaException() { }
    public BundledLibrdkafkaException(string message) : base(message) { }
    public BundledLibrdkafkaException(string message, Exception inner) : base(message, inner) { }
}
