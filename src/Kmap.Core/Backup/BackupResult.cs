using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>A backup and what the user must hear about it.</summary>
public sealed record BackupResult(OffsetBackup Backup)
{
    /// <summary>Groups the cluster listed that have no committed offset; they are not in the backup.</summary>
    public IReadOnlyList<string> GroupsWithoutOffsets { get; init; } = [];

    /// <summary>Backed-up groups that are not Empty/Dead: a reset will refuse them until their consumers stop.</summary>
    public IReadOnlyList<GroupListing> ActiveGroups { get; init; } = [];

    /// <summary>Groups whose offsets could not be read, with the reason; the backup lacks them.</summary>
    public IReadOnlyList<(string Group, string Error)> FailedGroups { get; init; } = [];

    public bool IsComplete => FailedGroups.Count == 0;
}
