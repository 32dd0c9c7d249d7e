using Kmap.Core.Config;

namespace Kmap.Cli.Commands.Config;

/// <summary>The config file of this run: where it is, reading it, writing it back atomically.</summary>
internal sealed class ConfigStore(CliContext context)
{
    public string Path => KmapConfigFile.PathFrom(context.Environment)
        ?? throw new FormatException("no config file location: set KMAP_CONFIG, XDG_CONFIG_HOME or HOME");

    public KmapConfig Load() => KmapConfigFile.Load(Path, File.ReadAllText);

    public async Task SaveAsync(KmapConfig config, CancellationToken cancellationToken)
    {
        var path = Path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        // Only references to secrets live here, but who can reach which cluster is still nobody else's business.
        await AtomicFile.WriteAllTextAsync(path, KmapConfigFile.Format(config), UnixFileMode.UserRead | UnixFileMode.UserWrite, cancellationToken);
    }
}
