using System.Collections.Concurrent;
using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>
/// Reads every group's committed offsets: all groups in all states, all partitions each has committed
/// (inactive groups included). Groups with nothing committed are left out and counted. When a group cannot
/// be read, the backup fails with <see cref="ClusterException"/> naming every such group, unless
/// <see cref="BackupOptions.AllowPartial"/> is set.
/// </summary>
public sealed class OffsetBackupService(IClusterReader reader, TimeProvider time)
{
    public async Task<BackupResult> BackupAsync(BackupOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var started = Rfc3339.TruncateToSeconds(time.GetUtcNow());
        var clusterId = await reader.GetClusterIdAsync(cancellationToken);
        var listings = (await reader.ListGroupsAsync(cancellationToken))
            .GroupBy(g => g.Group, StringComparer.Ordinal)
            .Select(g => g.First())
            .Where(g => options.Filter.Groups.Matches(g.Group))
            .OrderBy(g => g.Group, StringComparer.Ordinal)
            .ToList();

        var committed = new ConcurrentDictionary<string, (IReadOnlyList<CommittedOffset> Offsets, DateTimeOffset At)>(StringComparer.Ordinal);
        var failed = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var done = 0;
        // Share groups keep start offsets, not committed offsets: read with their own request (DescribeShareGroupOffsets).
        var shareGroups = listings.Where(l => GroupType.IsShare(l.Type)).Select(l => l.Group).ToList();
        var remaining = listings.Where(l => !GroupType.IsShare(l.Type)).Select(l => l.Group).ToList();
        if (shareGroups.Count > 0)
        {
            await ReadShareGroupsAsync(shareGroups, options, committed, failed, cancellationToken);
            done = shareGroups.Count;
            options.Progress?.Invoke(done, listings.Count);
        }
        if (reader is IBatchOffsetReader batch)
        {
            // Many groups per round trip where the cluster allows it; what the batch leaves out is read one by one below.
            var before = done;
            var answers = await batch.ListCommittedOffsetsAsync(remaining, n => options.Progress?.Invoke(before + n, listings.Count), cancellationToken);
            if (answers is not null)
            {
                var at = Rfc3339.TruncateToSeconds(time.GetUtcNow());
                foreach (var (group, answer) in answers)
                {
                    if (answer.Offsets is { } offsets)
                    {
                        committed[group] = (options.Filter.Topics.IsAll ? offsets : offsets.Where(o => options.Filter.Topics.Matches(o.Topic)).ToList(), at);
                    }
                    else
                    {
                        failed[group] = answer.Error ?? $"cannot read the committed offsets of group '{group}'";
                    }
                }
                done += answers.Count;
                remaining = remaining.Where(g => !answers.ContainsKey(g)).ToList();
            }
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(remaining, parallel, async (group, ct) =>
        {
            try
            {
                var offsets = await reader.ListCommittedOffsetsAsync(group, ct);
                if (!options.Filter.Topics.IsAll)
                {
                    offsets = offsets.Where(o => options.Filter.Topics.Matches(o.Topic)).ToList();
                }
                committed[group] = (offsets, Rfc3339.TruncateToSeconds(time.GetUtcNow()));
            }
            catch (ClusterException e)
            {
                failed[group] = e.Message;
            }
            options.Progress?.Invoke(Interlocked.Increment(ref done), listings.Count);
        });

        if (!failed.IsEmpty && !options.AllowPartial)
        {
            throw new ClusterException(IncompleteMessage(failed, listings.Count));
        }

        var logOffsets = options.IncludeLogOffsets
            ? await ReadLogOffsetsAsync(committed.Values.SelectMany(v => v.Offsets), cancellationToken)
            : new Dictionary<TopicPartition, LogOffsets>();

        var groups = new List<GroupOffsets>();
        var without = new List<string>();
        var active = new List<GroupListing>();
        foreach (var listing in listings)
        {
            if (!committed.TryGetValue(listing.Group, out var entry))
            {
                continue;
            }
            if (entry.Offsets.Count == 0)
            {
                without.Add(listing.Group);
                continue;
            }
            var offsets = entry.Offsets
                .OrderBy(o => o.TopicPartition)
                .Select(o => ToBackedUp(o, logOffsets))
                .ToList();
            groups.Add(new GroupOffsets(listing.Group, offsets, entry.At) { State = listing.State, Type = GroupType.OrClassic(listing.Type) });
            if (!GroupState.AcceptsReset(listing.State))
            {
                active.Add(listing);
            }
        }

        var memberCounts = active.Count == 0
            ? new Dictionary<string, int>(StringComparer.Ordinal)
            : (await reader.DescribeGroupsAsync(active.Select(a => a.Group).ToList(), cancellationToken))
                .ToDictionary(d => d.Group, d => d.Members.Count, StringComparer.Ordinal);
        groups = groups
            .Select(g => memberCounts.TryGetValue(g.Group, out var n) ? g with { MemberCount = n } : g)
            .ToList();

        var partitionCounts = await ReadPartitionCountsAsync(groups, cancellationToken);
        var backup = new OffsetBackup(started, options.Cluster, groups) { ClusterId = clusterId, PartitionCounts = partitionCounts };
        return new BackupResult(backup)
        {
            GroupsWithoutOffsets = without,
            ActiveGroups = active,
            FailedGroups = failed.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value)).ToList(),
        };
    }

    private async Task ReadShareGroupsAsync(IReadOnlyList<string> shareGroups, BackupOptions options,
        ConcurrentDictionary<string, (IReadOnlyList<CommittedOffset> Offsets, DateTimeOffset At)> committed, ConcurrentDictionary<string, string> failed,
        CancellationToken cancellationToken)
    {
        if (reader is not IShareGroupOffsets share)
        {
            foreach (var group in shareGroups)
            {
                failed[group] = $"cannot back up share group '{group}': this client cannot read share groups' start offsets";
            }
            return;
        }
        var answers = await share.ListShareGroupOffsetsAsync(shareGroups, cancellationToken);
        var at = Rfc3339.TruncateToSeconds(time.GetUtcNow());
        foreach (var group in shareGroups)
        {
            if (answers.TryGetValue(group, out var answer) && answer.Offsets is { } offsets)
            {
                committed[group] = (options.Filter.Topics.IsAll ? offsets : offsets.Where(o => options.Filter.Topics.Matches(o.Topic)).ToList(), at);
            }
            else
            {
                failed[group] = answer?.Error ?? $"cannot read the start offsets of share group '{group}'";
            }
        }
    }

    private static string IncompleteMessage(IReadOnlyDictionary<string, string> failed, int total)
    {
        const int Shown = 20;
        var lines = failed.OrderBy(f => f.Key, StringComparer.Ordinal).Take(Shown).Select(f => $"  group '{f.Key}': {f.Value}").ToList();
        if (failed.Count > Shown)
        {
            lines.Add($"  ... and {failed.Count - Shown} more group(s)");
        }
        return $"cannot back up {failed.Count} of {total} consumer group(s), so no file was written (an existing file is left as it was):\n"
            + string.Join("\n", lines)
            + "\nCheck the brokers named above (down, restarting, coordinators moving) and run kmap again;"
            + " -allow-partial writes the groups that could be read and exits 3.";
    }

    private async Task<IReadOnlyDictionary<TopicPartition, LogOffsets>> ReadLogOffsetsAsync(IEnumerable<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        var partitions = offsets.Select(o => o.TopicPartition).ToHashSet();
        if (partitions.Count == 0)
        {
            return new Dictionary<TopicPartition, LogOffsets>();
        }
        try
        {
            return await reader.ListLogOffsetsAsync(partitions, cancellationToken);
        }
        catch (ClusterException)
        {
            // The log range is an addition to the backup; the committed offsets are what matters.
            return new Dictionary<TopicPartition, LogOffsets>();
        }
    }

    /// <summary>
    /// How many partitions each backed-up topic has (one Metadata request), so a restore can create a missing topic
    /// as it is here, not only up to the highest partition a group committed on.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, int>> ReadPartitionCountsAsync(IReadOnlyList<GroupOffsets> groups, CancellationToken cancellationToken)
    {
        var topics = groups.SelectMany(g => g.Offsets.Select(o => o.Topic)).ToHashSet(StringComparer.Ordinal);
        if (topics.Count == 0)
        {
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }
        try
        {
            var all = await reader.ListTopicsAsync(cancellationToken);
            return all.Where(t => topics.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        }
        catch (ClusterException)
        {
            // Like the log range, an addition: a restore falls back to the highest partition known (and says so).
            return new Dictionary<string, int>(StringComparer.Ordinal);
        }
    }

    private static BackedUpOffset ToBackedUp(CommittedOffset offset, IReadOnlyDictionary<TopicPartition, LogOffsets> logs)
    {
        logs.TryGetValue(offset.TopicPartition, out var log);
        return new BackedUpOffset(offset.Topic, offset.Partition, offset.Offset)
        {
            LeaderEpoch = offset.LeaderEpoch,
            Metadata = offset.Metadata,
            LogStartOffset = log?.LogStartOffset,
            LogEndOffset = log?.LogEndOffset,
        };
    }
}
