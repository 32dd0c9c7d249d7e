using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>
/// What a reset or restore reads about many groups before it plans, in round trips that grow with groups / batch,
/// not with groups: committed offsets through multi-group OffsetFetch when the reader has it (the groups it leaves
/// out one call each, several at once), and group states from one listing.
/// </summary>
public static class BatchGroupReads
{
    /// <summary>
    /// Each group's description. States come from one listing (ListGroups v4+, one request per broker, through kmap's
    /// own retrying client): Empty and Dead groups are described by the listing alone (no members), only the others are
    /// described (librdkafka asks each group's coordinator separately, which cut connections can make fail), and a
    /// group the cluster does not list does not exist: Dead, as DescribeGroups reports it. The broker is the last
    /// guard either way: it refuses an admin commit to a group that has members.
    /// </summary>
    public static async Task<Dictionary<string, GroupDescription>> DescribeAsync(IClusterReader reader, IReadOnlyList<string> groups,
        IReadOnlyList<GroupListing>? listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(groups);
        var descriptions = new Dictionary<string, GroupDescription>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return descriptions;
        }
        listing ??= await reader.ListGroupsAsync(cancellationToken);
        var wanted = groups.ToHashSet(StringComparer.Ordinal);
        var listed = new Dictionary<string, GroupListing>(StringComparer.Ordinal);
        foreach (var group in listing.Where(l => wanted.Contains(l.Group)))
        {
            listed[group.Group] = group;
        }
        foreach (var group in groups)
        {
            var state = listed.TryGetValue(group, out var l) ? l.State : GroupState.Dead;
            if (GroupState.AcceptsReset(state))
            {
                descriptions[group] = new GroupDescription(group, state, []) { Type = l?.Type };
            }
        }
        var toDescribe = groups.Where(g => !descriptions.ContainsKey(g)).ToList();
        if (toDescribe.Count > 0)
        {
            foreach (var description in await reader.DescribeGroupsAsync(toDescribe, cancellationToken))
            {
                descriptions[description.Group] = description;
            }
        }
        return descriptions;
    }

    /// <summary>
    /// The committed offsets of every group, batched when the reader can. A group that cannot be read throws, naming it,
    /// as the one-group call does.
    /// </summary>
    public static Task<Dictionary<string, IReadOnlyDictionary<TopicPartition, long>>> ReadCommittedAsync(IClusterReader reader,
        IReadOnlyList<string> groups, int concurrency, CancellationToken cancellationToken) =>
        ReadCommittedAsync(reader, groups, concurrency, null, cancellationToken);

    /// <summary>The same, telling <paramref name="progress"/> (groups read, groups in all) as answers arrive.</summary>
    public static async Task<Dictionary<string, IReadOnlyDictionary<TopicPartition, long>>> ReadCommittedAsync(IClusterReader reader,
        IReadOnlyList<string> groups, int concurrency, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(groups);
        var committed = new Dictionary<string, IReadOnlyDictionary<TopicPartition, long>>(StringComparer.Ordinal);
        if (groups.Count > 1 && reader is IBatchOffsetReader batch && await batch.ListCommittedOffsetsAsync(groups, progress is null ? null : n => progress(n, groups.Count), cancellationToken) is { } answers)
        {
            foreach (var (group, answer) in answers)
            {
                committed[group] = ToMap(answer.Offsets ?? throw new ClusterException(answer.Error ?? $"cannot read the committed offsets of group '{group}'"));
            }
        }
        var rest = groups.Where(g => !committed.ContainsKey(g)).Distinct(StringComparer.Ordinal).ToList();
        var read = new IReadOnlyDictionary<TopicPartition, long>[rest.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken };
        var done = committed.Count;
        await Parallel.ForEachAsync(Enumerable.Range(0, rest.Count), parallel, async (i, ct) =>
        {
            read[i] = ToMap(await reader.ListCommittedOffsetsAsync(rest[i], ct));
            progress?.Invoke(Interlocked.Increment(ref done), committed.Count + rest.Count);
        });
        for (var i = 0; i < rest.Count; i++)
        {
            committed[rest[i]] = read[i];
        }
        return committed;
    }

    /// <summary>
    /// The start offsets of share groups (DescribeShareGroupOffsets), the share groups' counterpart of committed
    /// offsets. A group that cannot be read throws, naming it; a reader without share support throws for any share group.
    /// </summary>
    public static async Task<Dictionary<string, IReadOnlyDictionary<TopicPartition, long>>> ReadShareStartOffsetsAsync(IClusterReader reader,
        IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(groups);
        var result = new Dictionary<string, IReadOnlyDictionary<TopicPartition, long>>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return result;
        }
        if (reader is not IShareGroupOffsets share)
        {
            throw new ClusterException($"cannot read the start offsets of share group '{groups[0]}': this client cannot read share groups");
        }
        var answers = await share.ListShareGroupOffsetsAsync(groups, cancellationToken);
        foreach (var group in groups)
        {
            var answer = answers.GetValueOrDefault(group);
            result[group] = ToMap(answer?.Offsets ?? throw new ClusterException(answer?.Error ?? $"cannot read the start offsets of share group '{group}'"));
        }
        return result;
    }

    private static Dictionary<TopicPartition, long> ToMap(IReadOnlyList<CommittedOffset> offsets)
    {
        var map = new Dictionary<TopicPartition, long>();
        foreach (var offset in offsets)
        {
            map[offset.TopicPartition] = offset.Offset;
        }
        return map;
    }
}
