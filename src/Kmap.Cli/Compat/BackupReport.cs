using Kmap.Core.Backup;

namespace Kmap.Cli.Compat;

/// <summary>What a backup run tells the user on stderr: counts, what was left out, which groups will refuse a reset.</summary>
internal static class BackupReport
{
    public static async Task WriteAsync(TextWriter error, BackupResult result, string? jsonPath, string? scriptPath)
    {
        var backup = result.Backup;
        var partitions = backup.ConsumerGroups.Sum(g => g.Offsets.Count);
        await error.WriteLineAsync($"kmap: backed up {backup.ConsumerGroups.Count} consumer group(s), {partitions} partition offset(s) from {backup.Cluster}");
        if (result.GroupsWithoutOffsets.Count > 0)
        {
            await error.WriteLineAsync($"kmap: {result.GroupsWithoutOffsets.Count} group(s) without committed offsets left out");
        }
        if (result.ActiveGroups.Count > 0)
        {
            await error.WriteLineAsync($"kmap: warning: {result.ActiveGroups.Count} group(s) have active members; a restore will refuse them until their consumers stop:");
            var members = backup.ConsumerGroups.ToDictionary(g => g.Group, g => g.MemberCount, StringComparer.Ordinal);
            foreach (var group in result.ActiveGroups)
            {
                var count = members.GetValueOrDefault(group.Group);
                await error.WriteLineAsync($"kmap:   {group.Group} ({group.State}, {(count is null ? "?" : count.ToString())} member(s))");
            }
        }
        foreach (var (group, message) in result.FailedGroups)
        {
            await error.WriteLineAsync($"kmap: error: group '{group}' not backed up: {message}");
        }
        if (jsonPath is not null)
        {
            await error.WriteLineAsync($"kmap: wrote {jsonPath}");
        }
        if (scriptPath is not null)
        {
            await error.WriteLineAsync($"kmap: wrote {scriptPath} (run it with --help; DRY_RUN=1 previews)");
        }
    }
}
