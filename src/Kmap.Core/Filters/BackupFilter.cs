using Kmap.Core.Model;

namespace Kmap.Core.Filters;

/// <summary>Which groups and topics of a backup (or of a cluster) a command handles.</summary>
public sealed record BackupFilter(NameFilter Groups, NameFilter Topics)
{
    public static BackupFilter All { get; } = new(NameFilter.All, NameFilter.All);

    /// <summary>The backup with only the matching groups, each with only the matching topics; groups left empty are dropped.</summary>
    public OffsetBackup Apply(OffsetBackup backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (Groups.IsAll && Topics.IsAll)
        {
            return backup;
        }
        var groups = backup.ConsumerGroups
            .Where(g => Groups.Matches(g.Group))
            .Select(g => g with { Offsets = g.Offsets.Where(o => Topics.Matches(o.Topic)).ToList() })
            .Where(g => g.Offsets.Count > 0)
            .ToList();
        return backup with { ConsumerGroups = groups };
    }
}
