using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Core.Scripts;

namespace Kmap.Core.Backup;

/// <summary>Writes a backup's JSON file and/or restore script, each atomically; the script is made executable.</summary>
public static class BackupFiles
{
    public static async Task WriteAsync(OffsetBackup backup, string? jsonPath, string? scriptPath, RestoreScriptOptions scriptOptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(scriptOptions);
        // Generate the script first: a backup that cannot become a script (an illegal topic name) writes nothing.
        // The JSON is streamed straight into its temp file.
        var script = scriptPath is null
            ? null
            : RestoreScriptWriter.Write(backup, scriptOptions with { BackupFileName = jsonPath is null ? null : Path.GetFileName(jsonPath) });
        if (jsonPath is not null)
        {
            AtomicFile.Write(jsonPath, stream => OffsetBackupJson.Write(stream, backup), null);
        }
        if (script is not null)
        {
            await AtomicFile.WriteAllTextAsync(scriptPath!, script, AtomicFile.Executable, cancellationToken);
        }
    }
}
