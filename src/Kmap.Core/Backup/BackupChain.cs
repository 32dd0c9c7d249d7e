using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>
/// Differential backups: a delta holds only the groups/partitions whose committed offset changed since its
/// base (or that are new there); base + deltas, applied in order, equal a full backup taken at the last delta's time.
/// A group that disappeared is not removed by a delta: a restore never deletes groups.
/// </summary>
public static class BackupChain
{
    /// <summary>
    /// What <paramref name="current"/> has that differs from <paramref name="previous"/>, referencing the base file.
    /// The delta keeps the partition counts of every topic <paramref name="current"/> saw, changed or not.
    /// </summary>
    public static OffsetBackup Delta(OffsetBackup previous, OffsetBackup current, string baseFile)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = previous.ConsumerGroups
            .SelectMany(g => g.Offsets.Select(o => (g.Group, o)))
            .ToDictionary(x => (x.Group, x.o.TopicPartition), x => x.o.Offset);
        var groups = current.ConsumerGroups
            .Select(g => g with
            {
                Offsets = g.Offsets.Where(o => !before.TryGetValue((g.Group, o.TopicPartition), out var old) || old != o.Offset).ToList(),
            })
            .Where(g => g.Offsets.Count > 0)
            .ToList();
        return current with { ConsumerGroups = groups, BaseFile = baseFile, BaseTimestamp = previous.Timestamp };
    }

    /// <summary>Applies deltas to a base in order: a later entry for the same group and partition wins.</summary>
    public static OffsetBackup Merge(IReadOnlyList<OffsetBackup> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0)
        {
            throw new ArgumentException("a chain needs at least one backup", nameof(chain));
        }
        var groups = new Dictionary<string, (GroupOffsets Group, Dictionary<TopicPartition, BackedUpOffset> Offsets)>(StringComparer.Ordinal);
        foreach (var backup in chain)
        {
            foreach (var group in backup.ConsumerGroups)
            {
                if (!groups.TryGetValue(group.Group, out var entry))
                {
                    entry = (group, []);
                }
                foreach (var offset in group.Offsets)
                {
                    entry.Offsets[offset.TopicPartition] = offset;
                }
                // The latest group-level facts (state, time) come with the latest file that mentions the group.
                groups[group.Group] = (group, entry.Offsets);
            }
        }
        var last = chain[^1];
        // Partition counts: the latest file that knows a topic wins (partitions only grow in Kafka).
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var backup in chain)
        {
            foreach (var (topic, count) in backup.PartitionCounts)
            {
                counts[topic] = count;
            }
        }
        var merged = groups.Values
            .Select(e => e.Group with { Offsets = e.Offsets.Values.OrderBy(o => o.TopicPartition).ToList() })
            .OrderBy(g => g.Group, StringComparer.Ordinal)
            .ToList();
        return last with { ConsumerGroups = merged, BaseFile = null, BaseTimestamp = null, PartitionCounts = counts };
    }

    /// <summary>
    /// Loads the files given, following base_file references back from the first one when its base was not
    /// given too, and returns them base first. Fails when a delta's base is missing or does not match.
    /// </summary>
    public static async Task<IReadOnlyList<(string Path, OffsetBackup Backup)>> LoadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var chain = new List<(string Path, OffsetBackup Backup)>();
        foreach (var path in paths)
        {
            chain.Add((path, OffsetBackupJson.Deserialize(await File.ReadAllBytesAsync(path, cancellationToken), path)));
        }
        while (chain.Count > 0 && chain[0].Backup.BaseFile is { } baseFile)
        {
            var basePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(chain[0].Path)) ?? ".", baseFile);
            if (!File.Exists(basePath))
            {
                throw new FileNotFoundException($"{chain[0].Path} is a differential backup of {baseFile}, which is not at {basePath}; give the chain with --from BASE --from DELTA…", basePath);
            }
            if (chain.Count > 32)
            {
                throw new FormatException("the backup chain is longer than 32 files or loops");
            }
            chain.Insert(0, (basePath, OffsetBackupJson.Deserialize(await File.ReadAllBytesAsync(basePath, cancellationToken), basePath)));
        }
        for (var i = 1; i < chain.Count; i++)
        {
            if (chain[i].Backup.BaseTimestamp is { } expected && chain[i - 1].Backup.Timestamp != expected)
            {
                throw new FormatException($"{chain[i].Path} was taken after a backup of {Rfc3339.Format(expected)}, but the file before it in the chain ({chain[i - 1].Path}) is from {Rfc3339.Format(chain[i - 1].Backup.Timestamp)}");
            }
        }
        return chain;
    }
}
