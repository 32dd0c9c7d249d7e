using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kmap.Core.Backup;
using Kmap.Core.Model;

namespace Kmap.Core.Scripts;

/// <summary>
/// Writes the bash restore script. The script's logic is fixed text; everything that came from a
/// cluster (group names, topics, offsets, the bootstrap list, paths) enters only as data: single-quoted
/// words or lines of a here-document with a quoted delimiter, decoded by `printf %b`.
/// </summary>
public static partial class RestoreScriptWriter
{
    public static string Write(OffsetBackup backup, RestoreScriptOptions options)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(options);
        // Share groups' start offsets cannot be set per partition by Kafka's tools: listed, not restored (see the template).
        var shareGroups = backup.ConsumerGroups.Where(g => g.IsShare).OrderBy(g => g.Group, StringComparer.Ordinal).ToList();
        var groups = backup.ConsumerGroups.Where(g => !g.IsShare).OrderBy(g => g.Group, StringComparer.Ordinal).ToList();
        var partitions = groups.Sum(g => g.Offsets.Count);
        var header = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"#   Backup taken:  {Rfc3339.Format(backup.Timestamp)}\n")
            .Append(CultureInfo.InvariantCulture, $"#   Source:        {ShellQuoting.EscapeForPrintfB(backup.Cluster)}\n")
            .Append(CultureInfo.InvariantCulture, $"#   Groups:        {groups.Count} ({partitions} partitions)\n");
        if (options.BackupFileName is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $"#   Backup file:   {ShellQuoting.EscapeForPrintfB(options.BackupFileName)}\n");
        }
        header.Append(CultureInfo.InvariantCulture, $"#   Written by:    kmap {ShellQuoting.EscapeForPrintfB(options.KmapVersion)}\n");
        if (shareGroups.Count > 0)
        {
            header.Append(CultureInfo.InvariantCulture, $"#   Not restored:  {shareGroups.Count} share group(s); kafka-share-groups.sh cannot set per-partition offsets: kmap restore can (run this script to see the commands)\n");
        }

        return RestoreScriptTemplate.Text
            .Replace("@@HEADER@@\n", header.ToString(), StringComparison.Ordinal)
            .Replace("@@BOOTSTRAP_LINES@@\n", BootstrapLines(backup.Cluster), StringComparison.Ordinal)
            .Replace("@@KMAP_BINARY@@", ShellQuoting.SingleQuote(options.KmapPath ?? ""), StringComparison.Ordinal)
            .Replace("@@SHARE_GROUPS@@\n", ShareGroupLines(shareGroups, options.BackupFileName), StringComparison.Ordinal)
            .Replace("@@DATA@@\n", DataBlock(groups), StringComparison.Ordinal);
    }

    private static string BootstrapLines(string cluster)
    {
        // Plain host:port lists are written inline, as users expect to edit them; anything else goes through a quoted word.
        if (SafeBootstrap().IsMatch(cluster))
        {
            return $"BOOTSTRAP_SERVERS=\"${{BOOTSTRAP_SERVERS:-{cluster}}}\"\n";
        }
        return $"backed_up_cluster={ShellQuoting.SingleQuote(cluster)}\n"
             + "BOOTSTRAP_SERVERS=\"${BOOTSTRAP_SERVERS:-$backed_up_cluster}\"\n";
    }

    /// <summary>The share groups' names and the backup file, as single-quoted words (data, never code).</summary>
    private static string ShareGroupLines(IReadOnlyList<GroupOffsets> shareGroups, string? backupFileName)
    {
        var names = string.Join(" ", shareGroups.Select(g => ShellQuoting.SingleQuote(g.Group)));
        return $"share_groups=({names})\nshare_backup_file={ShellQuoting.SingleQuote(backupFileName ?? "")}\n";
    }

    private static string DataBlock(IReadOnlyList<GroupOffsets> groups)
    {
        var data = new StringBuilder();
        foreach (var group in groups)
        {
            if (group.Group.Contains('\0', StringComparison.Ordinal))
            {
                throw new FormatException($"group name {group.Group.Replace("\0", "\\0", StringComparison.Ordinal)} contains a NUL character, which bash cannot pass as an argument");
            }
            data.Append("group\t").Append(ShellQuoting.EscapeForPrintfB(group.Group)).Append('\n');
            foreach (var offset in group.Offsets.OrderBy(o => o.TopicPartition))
            {
                if (!LegalTopic().IsMatch(offset.Topic))
                {
                    throw new FormatException($"group '{group.Group}': '{offset.Topic}' is not a legal Kafka topic name (letters, digits, '.', '_', '-', at most 249)");
                }
                data.Append("offset\t").Append(offset.Topic)
                    .Append('\t').Append(offset.Partition.ToString(CultureInfo.InvariantCulture))
                    .Append('\t').Append(offset.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return data.ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:,\[\]/-]+$")]
    private static partial Regex SafeBootstrap();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,249}$")]
    private static partial Regex LegalTopic();
}
