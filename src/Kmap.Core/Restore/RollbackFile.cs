using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>
/// What the target had before a restore wrote: for every row the plan writes, the group's previous committed
/// offset. Saved as a backup file marked "rollback" (restoring it overwrites), so `kmap restore --from FILE
/// --execute` undoes the restore. Partitions that had no offset before cannot be put back to "nothing" by a
/// commit: they are listed so the user can delete them (kmap consumer-groups --delete-offsets).
/// </summary>
public static class RollbackFile
{
    public static (OffsetBackup Backup, IReadOnlyList<(string Group, TopicPartition Partition)> NoPreviousOffset) Build(
        ResetPlan plan, string cluster, string? clusterId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var groups = new List<GroupOffsets>();
        var without = new List<(string, TopicPartition)>();
        foreach (var group in plan.Groups.Where(g => g.CanApply && !g.IsNoOp))
        {
            var offsets = new List<BackedUpOffset>();
            foreach (var row in group.Writes)
            {
                if (row.Current is { } previous)
                {
                    offsets.Add(new BackedUpOffset(row.Topic, row.Partition, previous) { LogStartOffset = row.LogStart, LogEndOffset = row.LogEnd });
                }
                else
                {
                    without.Add((group.Group, new TopicPartition(row.Topic, row.Partition)));
                }
            }
            if (offsets.Count > 0)
            {
                groups.Add(new GroupOffsets(group.Group, offsets, now) { State = group.State, Type = group.Type });
            }
        }
        return (new OffsetBackup(now, cluster, groups) { ClusterId = clusterId, IsRollback = true }, without);
    }

    /// <summary>
    /// Default place: next to the input, named after it and the time (restore-input.rollback-20260120T153004Z.json);
    /// never an existing file (a re-run in the same second gets "-2"…), so an earlier restore's undo is kept.
    /// </summary>
    public static string DefaultPath(string inputPath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(inputPath)) ?? ".";
        var name = $"{Path.GetFileNameWithoutExtension(inputPath)}.rollback-{now.ToUniversalTime():yyyyMMdd'T'HHmmss'Z'}";
        var path = Path.Combine(directory, name + ".json");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(directory, $"{name}-{n}.json");
        }
        return path;
    }
}
