using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Tests.Support;

/// <summary>An in-memory cluster for Core's services: groups, commits, logs. Records concurrency of offset reads.</summary>
public sealed class FakeCluster : IClusterReader, IOffsetWriter
{
    private readonly Lock sync = new();
    private int inFlight;

    public Dictionary<string, string> GroupStates { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> Members { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dictionary<TopicPartition, long>> Commits { get; } = new(StringComparer.Ordinal);
    public Dictionary<TopicPartition, LogOffsets> Logs { get; } = [];
    public Dictionary<TopicPartition, List<(DateTimeOffset Time, long Offset)>> Timestamps { get; } = [];
    public TimeSpan ReadDelay { get; init; } = TimeSpan.Zero;
    public int MaxInFlight { get; private set; }
    public HashSet<string> FailingGroups { get; } = new(StringComparer.Ordinal);

    public void AddGroup(string group, string state, params (string Topic, int Partition, long Offset)[] commits)
    {
        GroupStates[group] = state;
        Commits[group] = commits.ToDictionary(c => new TopicPartition(c.Topic, c.Partition), c => c.Offset);
    }

    public void AddTopic(string topic, int partitions, long start, long end)
    {
        for (var p = 0; p < partitions; p++)
        {
            Logs[new TopicPartition(topic, p)] = new LogOffsets(start, end);
        }
    }

    public Task<string?> GetClusterIdAsync(CancellationToken cancellationToken) => Task.FromResult<string?>("fake-cluster");

    public Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GroupListing>>(GroupStates.Select(g => new GroupListing(g.Key, g.Value)).ToList());

    public Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GroupDescription>>(groups.Select(g => new GroupDescription(g,
            GroupStates.GetValueOrDefault(g, GroupState.Dead),
            Enumerable.Range(0, Members.GetValueOrDefault(g)).Select(i => new GroupMember($"member-{i}", "client", "/127.0.0.1", [])).ToList())).ToList());

    public async Task<IReadOnlyList<CommittedOffset>> ListCommittedOffsetsAsync(string group, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            inFlight++;
            MaxInFlight = Math.Max(MaxInFlight, inFlight);
        }
        try
        {
            if (ReadDelay > TimeSpan.Zero)
            {
                await Task.Delay(ReadDelay, cancellationToken);
            }
            if (FailingGroups.Contains(group))
            {
                throw new ClusterException($"GROUP_AUTHORIZATION_FAILED for '{group}'");
            }
            lock (sync)
            {
                return Commits.GetValueOrDefault(group)?.Select(c => new CommittedOffset(c.Key.Topic, c.Key.Partition, c.Value)).ToList() ?? [];
            }
        }
        finally
        {
            lock (sync)
            {
                inFlight--;
            }
        }
    }

    public Task<IReadOnlyDictionary<TopicPartition, LogOffsets>> ListLogOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<TopicPartition, LogOffsets>>(partitions.Where(Logs.ContainsKey).ToDictionary(p => p, p => Logs[p]));

    public Task<IReadOnlyDictionary<TopicPartition, long?>> ListOffsetsForTimeAsync(IReadOnlyCollection<TopicPartition> partitions, DateTimeOffset time, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<TopicPartition, long?>>(partitions.ToDictionary(p => p, p =>
            Timestamps.GetValueOrDefault(p)?.Where(t => t.Time >= time).Select(t => (long?)t.Offset).FirstOrDefault()));

    public Task<IReadOnlyDictionary<string, int>> ListTopicsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(Logs.Keys.GroupBy(k => k.Topic).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

    public Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        lock (sync)
        {
            if (!Commits.TryGetValue(group, out var commits))
            {
                Commits[group] = commits = [];
                GroupStates[group] = GroupState.Empty;
            }
            foreach (var o in offsets)
            {
                commits[o.TopicPartition] = o.Offset;
            }
        }
        return Task.FromResult<IReadOnlyList<PartitionResult>>(offsets.Select(o => new PartitionResult(o.TopicPartition, null)).ToList());
    }

    public Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GroupResult>>(groups.Select(g => new GroupResult(g, GroupStates.Remove(g) ? null : "GROUP_ID_NOT_FOUND")).ToList());

    public Task<IReadOnlyList<PartitionResult>> DeleteOffsetsAsync(string group, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PartitionResult>>(partitions.Select(p => new PartitionResult(p, Commits.GetValueOrDefault(group)?.Remove(p) == true ? null : "no offset")).ToList());
}
