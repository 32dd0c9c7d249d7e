using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>
/// Turns a reset request into a plan, reading only: group states, committed offsets, log ranges and
/// timestamp lookups. Groups that are not Empty/Dead are refused with Kafka's own message.
/// </summary>
public sealed class ResetPlanner(IClusterReader reader, TimeProvider time)
{
    public async Task<ResetPlan> PlanAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var groups = await ResolveGroupsAsync(request, cancellationToken);
        var states = (await reader.DescribeGroupsAsync(groups, cancellationToken))
            .ToDictionary(d => d.Group, d => d.State, StringComparer.Ordinal);
        var topics = request.Strategy is ResetStrategy.FromFile || request.AllTopics
            ? null
            : await reader.ListTopicsAsync(cancellationToken);

        var plans = new List<GroupResetPlan>();
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
            plans.Add(await PlanGroupAsync(request, group, state, topics, cancellationToken));
        }
        return new ResetPlan(plans);
    }

    private async Task<IReadOnlyList<string>> ResolveGroupsAsync(ResetRequest request, CancellationToken cancellationToken)
    {
        if (request.AllGroups)
        {
            return (await reader.ListGroupsAsync(cancellationToken)).Select(g => g.Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
        if (request.Groups.Count > 0)
        {
            return request.Groups.Distinct(StringComparer.Ordinal).ToList();
        }
        // Four-column CSV without --group: the file names the groups.
        if (request.Strategy is ResetStrategy.FromFile file)
        {
            return file.Rows.Select(r => r.Group).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        }
        throw new ArgumentException("a reset needs --group, --all-groups, or a four-column --from-file");
    }

    private async Task<GroupResetPlan> PlanGroupAsync(ResetRequest request, string group, string? state,
        IReadOnlyDictionary<string, int>? topics, CancellationToken cancellationToken)
    {
        var committed = (await reader.ListCommittedOffsetsAsync(group, cancellationToken))
            .ToDictionary(c => c.TopicPartition, c => c.Offset);
        var requested = RequestedFromFile(request, group);
        IReadOnlyList<TopicPartition> partitions;
        if (requested is not null)
        {
            partitions = requested.Keys.Order().ToList();
        }
        else if (request.AllTopics)
        {
            partitions = committed.Keys.Order().ToList();
        }
        else
        {
            var (selected, error) = SelectPartitions(request.Topics, topics!);
            if (error is not null)
            {
                return new GroupResetPlan(group, state, []) { Error = error };
            }
            partitions = selected;
        }

        var logs = partitions.Count == 0
            ? new Dictionary<TopicPartition, LogOffsets>()
            : await reader.ListLogOffsetsAsync(partitions, cancellationToken);
        var missing = partitions.Where(p => !logs.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            return new GroupResetPlan(group, state, [])
            {
                Error = $"Partitions {string.Join(", ", missing)} of group '{group}' do not exist on the cluster; create the topics first (with at least as many partitions).",
            };
        }

        var byTime = await LookupTimesAsync(request.Strategy, partitions, cancellationToken);
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
                ResetStrategy.ToDateTime or ResetStrategy.ByDuration => (byTime![partition] ?? log.LogEndOffset, false),
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

    private static Dictionary<TopicPartition, long>? RequestedFromFile(ResetRequest request, string group)
    {
        if (request.Strategy is not ResetStrategy.FromFile file)
        {
            return null;
        }
        var rows = new Dictionary<TopicPartition, long>();
        foreach (var row in file.Rows.Where(r => r.Group is null || string.Equals(r.Group, group, StringComparison.Ordinal)))
        {
            // As in Kafka, a later line for the same partition wins.
            rows[new TopicPartition(row.Topic, row.Partition)] = row.Offset;
        }
        return rows;
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
