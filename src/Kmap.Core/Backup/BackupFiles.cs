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
        // Generate both first: a backup that cannot become a script (an illegal topic name) writes nothing.
        var json = jsonPath is null ? null : OffsetBackupJson.Serialize(backup);
        var script = scriptPath is null
            ? null
            : RestoreScriptWriter.Write(backup, scriptOptions with { BackupFileName = jsonPath is null ? null : Path.GetFileName(jsonPath) });
        if (json is not null)
        {
            await AtomicFile.WriteAllTextAsync(jsonPath!, json, null, cancellationToken);
        }
        if (script is not null)
        {
            await AtomicFile.WriteAllTextAsync(scriptPath!, script, AtomicFile.Executable, cancellationToken);
        }
    }
}
