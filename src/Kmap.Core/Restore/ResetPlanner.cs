using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>
/// Turns a reset request into a plan, reading only: group states, committed offsets, log ranges and
/// timestamp lookups. Groups that are not Empty/Dead are refused with Kafka's own message.
/// The cluster is read for all groups at once, so a reset of thousands of groups (the restore script's
/// batch mode) costs a few round trips per batch of groups, not several per group: committed offsets
/// through multi-group OffsetFetch when the reader has it (the rest concurrently, bounded), group states
/// from one listing when there are many groups (<see cref="BatchGroupReads"/>), and every partition's log
/// range in one ListOffsets question.
/// </summary>
public sealed class ResetPlanner(IClusterReader reader, TimeProvider time)
{
    /// <summary>Groups whose committed offsets are read at once when they are read one group per call.</summary>
    public int ReadConcurrency { get; init; } = 32;

    public async Task<ResetPlan> PlanAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (groups, listing) = await ResolveGroupsAsync(request, cancellationToken);
        var states = (await BatchGroupReads.DescribeAsync(reader, groups, listing, cancellationToken))
            .ToDictionary(d => d.Key, d => (string?)d.Value.State, StringComparer.Ordinal);
        var topics = request.Strategy is ResetStrategy.FromFile || request.AllTopics
            ? null
            : await reader.ListTopicsAsync(cancellationToken);

        var accepted = groups.Where(g => GroupState.AcceptsReset(states.GetValueOrDefault(g))).ToList();
        var committed = await BatchGroupReads.ReadCommittedAsync(reader, accepted, ReadConcurrency, cancellationToken);

        // Which partitions each group resets; then the log range (and time lookup) of all of them in one question.
        var chosen = new Dictionary<string, (IReadOnlyList<TopicPartition> Partitions, string? Error)>(StringComparer.Ordinal);
        var fromFile = FileRowsByGroup(request, accepted);
        foreach (var group in accepted)
        {
            chosen[group] = ChoosePartitions(request, fromFile, group, committed[group], topics);
        }
        var all = chosen.Values.Where(c => c.Error is null).SelectMany(c => c.Partitions).ToHashSet();
        var logs = all.Count == 0
            ? new Dictionary<TopicPartition, LogOffsets>()
            : await reader.ListLogOffsetsAsync(all, cancellationToken);
        var byTime = await LookupTimesAsync(request.Strategy, all.Where(logs.ContainsKey).ToList(), cancellationToken);

        var plans = new List<GroupResetPlan>(groups.Count);
        foreach (var group in groups)
        {
            var state = states.GetValueOrDefault(group);
            if (!GroupState.AcceptsReset(state))
            {
                plans.Add(new GroupResetPlan(group, state, [])
                {
                    Error = $"Assignments can only be reset if the group '{group}' is inactive, but the current state is {state}.",
                });
                continue;
            }
            var (partitions, error) = chosen[group];
            plans.Add(error is not null
                ? new GroupResetPlan(group, state, []) { Error = error }
                : PlanGroup(request, group, state, partitions, committed[group], fromFile.GetValueOrDefault(group), logs, byTime));
        }
        return new ResetPlan(plans);
    }

    private async Task<(IReadOnlyList<string> Groups, IReadOnlyList<GroupListing>? Listing)> ResolveGroupsAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.AllGroups)
        {
            var listing = await reader.ListGroupsAsync(cancellationToken);
            return (listing.Select(g => g.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), listing);
        }
        if (request.Groups.Count > 0)
        {
            return (request.Groups.Distinct(StringComparer.Ordinal).ToList(), null);
        }
        // Four-column CSV without --group: the file names the groups.
        if (request.Strategy is ResetStrategy.FromFile file)
        {
            return (file.Rows.Select(r => r.Group).OfType<string>().Distinct(StringComparer.Ordinal).ToList(), null);
        }
        throw new ArgumentException("a reset needs --group, --all-groups, or a four-column --from-file");
    }

    private static (IReadOnlyList<TopicPartition> Partitions, string? Error) ChoosePartitions(ResetRequest request,
        Dictionary<string, Dictionary<TopicPartition, long>> fromFile, string group, IReadOnlyDictionary<TopicPartition, long> committed,
        IReadOnlyDictionary<string, int>? topics)
    {
        if (request.Strategy is ResetStrategy.FromFile)
        {
            return (fromFile.TryGetValue(group, out var rows) ? rows.Keys.Order().ToList() : [], null);
        }
        if (request.AllTopics)
        {
            return (committed.Keys.Order().ToList(), null);
        }
        return SelectPartitions(request.Topics, topics!);
    }

    private static GroupResetPlan PlanGroup(ResetRequest request, string group, string? state, IReadOnlyList<TopicPartition> partitions,
        IReadOnlyDictionary<TopicPartition, long> committed, Dictionary<TopicPartition, long>? requested,
        IReadOnlyDictionary<TopicPartition, LogOffsets> logs, IReadOnlyDictionary<TopicPartition, long?>? byTime)
    {
        var missing = partitions.Where(p => !logs.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            return new GroupResetPlan(group, state, [])
            {
                Error = $"Partitions {string.Join(", ", missing)} of group '{group}' do not exist on the cluster; create the topics first (with at least as many partitions).",
            };
        }

        var offsets = new List<PlannedOffset>(partitions.Count);
        foreach (var partition in partitions)
        {
            var log = logs[partition];
            long? current = committed.TryGetValue(partition, out var c) ? c : null;
            var (target, clamp) = request.Strategy switch
            {
                ResetStrategy.ToEarliest => (log.LogStartOffset, false),
                ResetStrategy.ToLatest => (log.LogEndOffset, false),
                ResetStrategy.ToCurrent => (current ?? log.LogEndOffset, false),
                ResetStrategy.ToOffset o => (o.Offset, true),
                ResetStrategy.ShiftBy s => ((current ?? log.LogEndOffset) + s.Delta, true),
                ResetStrategy.ToDateTime or ResetStrategy.ByDuration => (byTime!.GetValueOrDefault(partition) ?? log.LogEndOffset, false),
                ResetStrategy.FromFile => (requested![partition], true),
                _ => throw new InvalidOperationException($"unknown strategy {request.Strategy}"),
            };
            var clamped = clamp ? Math.Clamp(target, log.LogStartOffset, Math.Max(log.LogStartOffset, log.LogEndOffset)) : target;
            offsets.Add(new PlannedOffset(partition.Topic, partition.Partition, clamped)
            {
                Requested = target,
                Current = current,
                LogStart = log.LogStartOffset,
                LogEnd = log.LogEndOffset,
            });
        }
        return new GroupResetPlan(group, state, offsets);
    }

    /// <summary>The file's offsets per group; rows without a group (three-column file) belong to every group.</summary>
    private static Dictionary<string, Dictionary<TopicPartition, long>> FileRowsByGroup(ResetRequest request, IReadOnlyList<string> groups)
    {
        var byGroup = new Dictionary<string, Dictionary<TopicPartition, long>>(StringComparer.Ordinal);
        if (request.Strategy is not ResetStrategy.FromFile file)
        {
            return byGroup;
        }
        foreach (var group in groups)
        {
            byGroup[group] = [];
        }
        foreach (var row in file.Rows)
        {
            // As in Kafka, a later line for the same partition wins.
            var partition = new TopicPartition(row.Topic, row.Partition);
            if (row.Group is null)
            {
                foreach (var rows in byGroup.Values)
                {
                    rows[partition] = row.Offset;
                }
            }
            else if (byGroup.TryGetValue(row.Group, out var rows))
            {
                rows[partition] = row.Offset;
            }
        }
        return byGroup;
    }

    private static (IReadOnlyList<TopicPartition> Partitions, string? Error) SelectPartitions(
        IReadOnlyList<TopicSelection> selections, IReadOnlyDictionary<string, int> topics)
    {
        var result = new SortedSet<TopicPartition>();
        foreach (var selection in selections)
        {
            if (!topics.TryGetValue(selection.Topic, out var count))
            {
                return ([], $"Topic '{selection.Topic}' does not exist on the cluster.");
            }
            var partitions = selection.Partitions ?? Enumerable.Range(0, count).ToList();
            foreach (var p in partitions)
            {
                if (p >= count)
                {
                    return ([], $"Topic '{selection.Topic}' has {count} partitions; partition {p} does not exist.");
                }
                result.Add(new TopicPartition(selection.Topic, p));
            }
        }
        return (result.ToList(), null);
    }

    private async Task<IReadOnlyDictionary<TopicPartition, long?>?> LookupTimesAsync(ResetStrategy strategy,
        IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        DateTimeOffset? at = strategy switch
        {
            ResetStrategy.ToDateTime d => d.Time,
            ResetStrategy.ByDuration d => time.GetUtcNow() - d.Duration,
            _ => null,
        };
        if (at < DateTimeOffset.UnixEpoch)
        {
            // Negative timestamps are ListOffsets' special values (-1 latest, -2 earliest): a time before 1970 means "from the start".
            at = DateTimeOffset.UnixEpoch;
        }
        if (at is null || partitions.Count == 0)
        {
            return at is null ? null : new Dictionary<TopicPartition, long?>();
        }
        return await reader.ListOffsetsForTimeAsync(partitions, at.Value, cancellationToken);
    }
}
