using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;
using CoreTopicPartition = Kmap.Core.Model.TopicPartition;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;

namespace Kmap.Kafka;

/// <summary>
/// kmap's reader and writer over Confluent.Kafka's AdminClient. On every security protocol, listing groups and
/// reading committed offsets go through hand-written requests instead (<see cref="Wire.WireGroupLister"/>,
/// <see cref="Wire.MultiGroupOffsetFetch"/>): they batch many groups per round trip, retry retriable errors
/// until the deadline, and avoid librdkafka's crashes on NOT_COORDINATOR (librdkafka#5040) and on ListGroups
/// errors. Only brokers too old for those versions use librdkafka's admin calls.
/// </summary>
public sealed class KafkaAdmin : IClusterReader, IOffsetWriter, IBatchOffsetReader, IDisposable
{
    private readonly IAdminClient admin;
    private readonly string bootstrap;
    private readonly TimeSpan timeout;
    private readonly KafkaClientLog clientLog;
    private readonly Wire.MultiGroupOffsetFetch? multiGroupFetch;
    private readonly Wire.WireGroupLister? groupLister;

    public KafkaAdmin(ConnectionSettings settings, TimeSpan? timeout = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bootstrap = settings.BootstrapServers;
        this.timeout = timeout ?? TimeSpan.FromSeconds(30);
        var config = KafkaClientConfig.ForAdmin(settings);
        clientLog = new KafkaClientLog(log);
        admin = Build(config, clientLog);
        // The hand-written requests retry, and avoid librdkafka's crashes on NOT_COORDINATOR and on ListGroups
        // errors; they speak every security protocol (TLS, SASL PLAIN/SCRAM), so every backup takes them.
        multiGroupFetch = new Wire.MultiGroupOffsetFetch(settings, this.timeout);
        groupLister = new Wire.WireGroupLister(settings, this.timeout);
    }

    public Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>?> ListCommittedOffsetsAsync(IReadOnlyList<string> groups, Action<int>? progress, CancellationToken cancellationToken) =>
        multiGroupFetch is null
            ? Task.FromResult<IReadOnlyDictionary<string, GroupOffsetsAnswer>?>(null)
            : multiGroupFetch.FetchAsync(groups, progress, cancellationToken);

    private static IAdminClient Build(AdminClientConfig config, KafkaClientLog log)
    {
        try
        {
            return new AdminClientBuilder(config)
                .SetLogHandler((_, message) => log.OnLog(message))
                .SetErrorHandler((_, error) => log.OnError(error))
                .Build();
        }
        catch (Exception e) when (e is InvalidOperationException or KafkaException or ArgumentException)
        {
            // librdkafka checks certificates, keys and settings here: say which setting is wrong.
            throw new ClusterException($"cannot set up the Kafka client: {e.Message} (check the TLS files: PEM certificate, key and CA)", e);
        }
    }

    /// <summary>Awaits an admin call, but gives up at once when the client has failed for good (e.g. SASL authentication).</summary>
    private async Task<T> Guard<T>(Task<T> call)
    {
        var first = await Task.WhenAny(call, clientLog.Fatal);
        if (first != call)
        {
            throw await clientLog.Fatal;
        }
        return await call;
    }

    private async Task Guard(Task call)
    {
        var first = await Task.WhenAny(call, clientLog.Fatal);
        if (first != call)
        {
            throw await clientLog.Fatal;
        }
        await call;
    }

    public void Dispose() => admin.Dispose();

    /// <summary>The underlying client, for the cluster map's reader in this project.</summary>
    internal IAdminClient Client => admin;

    internal TimeSpan Timeout => timeout;

    public async Task<string?> GetClusterIdAsync(CancellationToken cancellationToken)
    {
        // Metadata through the retrying client: librdkafka's DescribeCluster fails the backup on one cut connection.
        // Brokers too old for the flexible Metadata versions answer no id there; librdkafka then asks.
        if (groupLister is not null && await groupLister.ReadClusterIdAsync(cancellationToken) is { } id)
        {
            return id;
        }
        var result = await Call(() => admin.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = timeout }), "describe the cluster");
        return result.ClusterId;
    }

    public async Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken)
    {
        if (groupLister is not null && await groupLister.ListAsync(cancellationToken) is { } listed)
        {
            return listed;
        }
        ListConsumerGroupsResult result;
        try
        {
            result = await Guard(admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = timeout }));
        }
        catch (ListConsumerGroupsException e)
        {
            // Some broker did not answer: its groups would be missing, and a backup must not be silently incomplete.
            throw new ClusterException($"cannot list the consumer groups of every broker of {bootstrap}: {string.Join("; ", e.Results.Errors.Select(x => x.Reason))}", e);
        }
        catch (KafkaException e)
        {
            throw Wrap(e, "list consumer groups");
        }
        return result.Valid
            .Select(g => new GroupListing(g.GroupId, StateName(g.State))
            {
                Type = g.Type switch { ConsumerGroupType.Classic => "classic", ConsumerGroupType.Consumer => "consumer", _ => null },
                IsSimple = g.IsSimpleConsumerGroup,
            })
            .ToList();
    }

    public async Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return [];
        }
        List<ConsumerGroupDescription> descriptions;
        try
        {
            var result = await Guard(admin.DescribeConsumerGroupsAsync(groups, new DescribeConsumerGroupsOptions { RequestTimeout = timeout }));
            descriptions = result.ConsumerGroupDescriptions;
        }
        catch (DescribeConsumerGroupsException e)
        {
            descriptions = e.Results.ConsumerGroupDescriptions;
        }
        catch (KafkaException e)
        {
            throw Wrap(e, "describe consumer groups");
        }
        return descriptions.Select(ToDescription).ToList();
    }

    private static GroupDescription ToDescription(ConsumerGroupDescription d) =>
        new(d.GroupId, d.Error is { IsError: true } ? GroupState.Unknown : StateName(d.State),
            d.Members.Select(m => new GroupMember(m.ConsumerId, m.ClientId, m.Host,
                m.Assignment?.TopicPartitions?.Select(tp => new CoreTopicPartition(tp.Topic, tp.Partition.Value)).ToList() ?? [])
            {
                GroupInstanceId = m.GroupInstanceId,
            }).ToList())
        {
            PartitionAssignor = d.PartitionAssignor,
            Coordinator = d.Coordinator is null ? null : $"{d.Coordinator.Host}:{d.Coordinator.Port}",
            CoordinatorId = d.Coordinator?.Id,
            Error = d.Error is { IsError: true } ? d.Error.Reason : null,
        };

    public async Task<IReadOnlyList<CommittedOffset>> ListCommittedOffsetsAsync(string group, CancellationToken cancellationToken)
    {
        if (multiGroupFetch is not null && await multiGroupFetch.FetchAsync([group], null, cancellationToken) is { } answers)
        {
            var answer = answers[group];
            return answer.Offsets ?? throw new ClusterException(answer.Error ?? $"cannot read the committed offsets of group '{group}'");
        }
        // A null partition list asks for every partition the group has committed (the Go tool's bug was to ask for none).
        var request = new[] { new ConsumerGroupTopicPartitions(group, null) };
        List<ListConsumerGroupOffsetsResult> results;
        try
        {
            results = await Guard(admin.ListConsumerGroupOffsetsAsync(request, new ListConsumerGroupOffsetsOptions { RequestTimeout = timeout }));
        }
        catch (ListConsumerGroupOffsetsException e)
        {
            var report = e.Results.FirstOrDefault();
            throw new ClusterException($"cannot read the committed offsets of group '{group}' on {bootstrap}: {report?.Error.Reason ?? e.Message}", e);
        }
        catch (KafkaException e)
        {
            throw Wrap(e, $"read the committed offsets of group '{group}'");
        }
        var partitions = results.SelectMany(r => r.Partitions).ToList();
        var errors = partitions.Where(p => p.Error.IsError).ToList();
        if (errors.Count > 0)
        {
            // A partial answer must not become a partial backup without anyone noticing.
            throw new ClusterException($"cannot read every committed offset of group '{group}' on {bootstrap}: "
                + string.Join("; ", errors.Select(e => $"{e.Topic}-{e.Partition.Value}: {e.Error.Reason}")));
        }
        // Offset -1 (Offset.Unset) means "nothing committed": absence, not a position.
        return partitions
            .Where(p => p.Offset.Value >= 0)
            .Select(p => new CommittedOffset(p.Topic, p.Partition.Value, p.Offset.Value) { LeaderEpoch = p.LeaderEpoch is >= 0 ? p.LeaderEpoch : null })
            .ToList();
    }

    public async Task<IReadOnlyDictionary<CoreTopicPartition, LogOffsets>> ListLogOffsetsAsync(IReadOnlyCollection<CoreTopicPartition> partitions, CancellationToken cancellationToken)
    {
        var earliest = await ListOffsetsAsync(partitions, OffsetSpec.Earliest(), "read log start offsets");
        var latest = await ListOffsetsAsync(partitions, OffsetSpec.Latest(), "read log end offsets");
        var result = new Dictionary<CoreTopicPartition, LogOffsets>();
        foreach (var (partition, start) in earliest)
        {
            if (start is { } s && latest.TryGetValue(partition, out var end) && end is { } e)
            {
                result[partition] = new LogOffsets(s, e);
            }
        }
        return result;
    }

    public async Task<IReadOnlyDictionary<CoreTopicPartition, long?>> ListOffsetsForTimeAsync(IReadOnlyCollection<CoreTopicPartition> partitions, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var found = await ListOffsetsAsync(partitions, OffsetSpec.ForTimestamp(time.ToUnixTimeMilliseconds()), "look up offsets by time");
        return partitions.ToDictionary(p => p, p => found.TryGetValue(p, out var o) ? o : null);
    }

    /// <summary>Offsets per partition; a partition with an error is absent, a -1 answer (nothing found) is null.</summary>
    private async Task<Dictionary<CoreTopicPartition, long?>> ListOffsetsAsync(IReadOnlyCollection<CoreTopicPartition> partitions, OffsetSpec spec, string what)
    {
        var result = new Dictionary<CoreTopicPartition, long?>();
        // librdkafka fails the whole ListOffsets call when one topic is unknown: ask only for partitions that exist,
        // so the caller can name the missing ones.
        var topics = await ListTopicsAsync(CancellationToken.None);
        var existing = partitions.Where(p => topics.TryGetValue(p.Topic, out var count) && p.Partition < count).ToList();
        if (existing.Count == 0)
        {
            return result;
        }
        var request = existing.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new KafkaTopicPartition(p.Topic, p.Partition), OffsetSpec = spec }).ToList();
        List<ListOffsetsResultInfo> infos;
        try
        {
            infos = (await Guard(admin.ListOffsetsAsync(request, new ListOffsetsOptions { RequestTimeout = timeout }))).ResultInfos;
        }
        catch (ListOffsetsException e)
        {
            // Some partitions failed (e.g. unknown topic); keep the ones that answered.
            infos = e.Result.ResultInfos;
        }
        catch (KafkaException e)
        {
            throw Wrap(e, what);
        }
        foreach (var info in infos)
        {
            var tpo = info.TopicPartitionOffsetError;
            if (tpo.Error.IsError)
            {
                continue;
            }
            result[new CoreTopicPartition(tpo.Topic, tpo.Partition.Value)] = tpo.Offset.Value >= 0 ? tpo.Offset.Value : null;
        }
        return result;
    }

    public Task<IReadOnlyDictionary<string, int>> ListTopicsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var metadata = admin.GetMetadata(timeout);
            IReadOnlyDictionary<string, int> topics = metadata.Topics
                .Where(t => !t.Error.IsError)
                .ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
            return Task.FromResult(topics);
        }
        catch (KafkaException e)
        {
            throw Wrap(e, "list topics");
        }
    }

    public async Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        var request = new[]
        {
            new ConsumerGroupTopicPartitionOffsets(group, offsets.Select(o => new TopicPartitionOffset(o.Topic, o.Partition, o.Offset)).ToList()),
        };
        try
        {
            var results = await Guard(admin.AlterConsumerGroupOffsetsAsync(request, new AlterConsumerGroupOffsetsOptions { RequestTimeout = timeout }));
            return results.SelectMany(r => r.Partitions).Select(p => new PartitionResult(new CoreTopicPartition(p.Topic, p.Partition.Value), null)).ToList();
        }
        catch (AlterConsumerGroupOffsetsException e)
        {
            var report = e.Results.FirstOrDefault();
            if (report is null || (report.Error.IsError && report.Partitions.All(p => !p.Error.IsError)))
            {
                throw new ClusterException($"cannot commit offsets for group '{group}' on {bootstrap}: {report?.Error.Reason ?? e.Message}", e);
            }
            return report.Partitions
                .Select(p => new PartitionResult(new CoreTopicPartition(p.Topic, p.Partition.Value), p.Error.IsError ? p.Error.Reason : null))
                .ToList();
        }
        catch (KafkaException e)
        {
            throw Wrap(e, $"commit offsets for group '{group}'");
        }
    }

    public async Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        try
        {
            await Guard(admin.DeleteGroupsAsync(groups.ToList(), new DeleteGroupsOptions { RequestTimeout = timeout }));
            return groups.Select(g => new GroupResult(g, null)).ToList();
        }
        catch (DeleteGroupsException e)
        {
            return e.Results.Select(r => new GroupResult(r.Group, r.Error.IsError ? r.Error.Reason : null)).ToList();
        }
        catch (KafkaException e)
        {
            throw Wrap(e, "delete consumer groups");
        }
    }

    public async Task<IReadOnlyList<PartitionResult>> DeleteOffsetsAsync(string group, IReadOnlyList<CoreTopicPartition> partitions, CancellationToken cancellationToken)
    {
        var request = partitions.Select(p => new KafkaTopicPartition(p.Topic, p.Partition)).ToList();
        try
        {
            var result = await Guard(admin.DeleteConsumerGroupOffsetsAsync(group, request, new DeleteConsumerGroupOffsetsOptions { RequestTimeout = timeout }));
            return result.Partitions.Select(p => new PartitionResult(new CoreTopicPartition(p.Topic, p.Partition.Value), null)).ToList();
        }
        catch (DeleteConsumerGroupOffsetsException e)
        {
            var report = e.Result;
            if (report.Error.IsError && report.Partitions.All(p => !p.Error.IsError))
            {
                return partitions.Select(p => new PartitionResult(p, report.Error.Reason)).ToList();
            }
            return report.Partitions
                .Select(p => new PartitionResult(new CoreTopicPartition(p.Topic, p.Partition.Value), p.Error.IsError ? p.Error.Reason : null))
                .ToList();
        }
        catch (KafkaException e)
        {
            throw Wrap(e, $"delete offsets of group '{group}'");
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await Guard(call());
        }
        catch (KafkaException e)
        {
            throw Wrap(e, what);
        }
    }

    private ClusterException Wrap(KafkaException e, string what) =>
        new($"cannot {what} on {bootstrap}: {e.Error.Reason}"
            + (clientLog.LastError is { } last && last != e.Error.Reason ? $" (last client error: {last})" : "")
            + " — check -brokers/--bootstrap-server, the security protocol and the credentials", e);

    private static string StateName(ConsumerGroupState state) => state switch
    {
        ConsumerGroupState.Empty => GroupState.Empty,
        ConsumerGroupState.Stable => GroupState.Stable,
        ConsumerGroupState.Dead => GroupState.Dead,
        ConsumerGroupState.PreparingRebalance => "PreparingRebalance",
        ConsumerGroupState.CompletingRebalance => "CompletingRebalance",
        _ => GroupState.Unknown,
    };
}
