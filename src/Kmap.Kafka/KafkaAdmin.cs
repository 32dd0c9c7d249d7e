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
public sealed class KafkaAdmin : IClusterReader, IOffsetWriter, IBatchOffsetReader, IShareGroupOffsets, IDisposable
{
    private readonly IAdminClient admin;
    private readonly string bootstrap;
    private readonly TimeSpan timeout;
    private readonly KafkaClientLog clientLog;
    private readonly Wire.MultiGroupOffsetFetch? multiGroupFetch;
    private readonly Wire.WireGroupLister? groupLister;
    private readonly Wire.WireOffsetCommit offsetCommit;
    private readonly Wire.WireGroupDescriber groupDescriber;
    private readonly Dictionary<string, Wire.WireGroupDescriber> typedDescribers;
    private readonly Wire.WireShareGroupOffsets shareGroupOffsets;

    /// <summary>
    /// The one "retrying BROKER for up to N s (reason)" notice of this client: every hand-written request that retries a
    /// broker (offsets, groups, topic sizes) tells it, so a broker is named once per 10 s whichever request waits on it.
    /// </summary>
    internal Wire.WireRetryNotice RetryNotice { get; }

    public KafkaAdmin(ConnectionSettings settings, TimeSpan? timeout = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        bootstrap = settings.BootstrapServers;
        this.timeout = timeout ?? TimeSpan.FromSeconds(30);
        var config = KafkaClientConfig.ForAdmin(settings);
        var notice = new Wire.WireRetryNotice(log, this.timeout);
        RetryNotice = notice;
        clientLog = new KafkaClientLog(log, notice);
        admin = Build(config, clientLog);
        // The hand-written requests retry, and avoid librdkafka's crashes on NOT_COORDINATOR and on ListGroups
        // errors; they speak every security protocol (TLS, SASL PLAIN/SCRAM), so every backup takes them.
        multiGroupFetch = new Wire.MultiGroupOffsetFetch(settings, this.timeout) { Notice = notice };
        groupLister = new Wire.WireGroupLister(settings, this.timeout) { Notice = notice };
        offsetCommit = new Wire.WireOffsetCommit(settings);
        groupDescriber = new Wire.WireGroupDescriber(settings, this.timeout);
        typedDescribers = new Dictionary<string, Wire.WireGroupDescriber>(StringComparer.Ordinal)
        {
            [GroupType.Consumer] = new(settings, this.timeout, new Wire.ConsumerGroupDescribeApi()),
            [GroupType.Streams] = new(settings, this.timeout, new Wire.StreamsGroupDescribeApi()),
            [GroupType.Share] = new(settings, this.timeout, new Wire.ShareGroupDescribeApi()),
        };
        shareGroupOffsets = new Wire.WireShareGroupOffsets(settings, this.timeout);
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

    public void Dispose()
    {
        offsetCommit.Dispose();
        admin.Dispose();
    }

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

    /// <summary>
    /// Descriptions of the named groups, each with the request of its type (classic, consumer, streams, share), the
    /// types taken from one listing; a group the cluster does not list is described as a classic group (Dead when it
    /// does not exist).
    /// </summary>
    public async Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return [];
        }
        var names = groups.Distinct(StringComparer.Ordinal).ToList();
        if (groupLister is null)
        {
            return await DescribeWithLibrdkafkaAsync(names, cancellationToken);
        }
        IReadOnlyList<GroupListing>? listed;
        try
        {
            listed = await groupLister.ListAsync(cancellationToken);
        }
        catch (ClusterException)
        {
            // A broker that does not answer ListGroups must not stop a describe: each type's request is tried in turn.
            return await DescribeByTryingTypesAsync(names, cancellationToken);
        }
        if (listed is null)
        {
            return await DescribeWithLibrdkafkaAsync(names, cancellationToken);
        }
        var types = listed.GroupBy(l => l.Group, StringComparer.Ordinal).ToDictionary(l => l.Key, l => l.First(), StringComparer.Ordinal);
        var wanted = names.Select(n => types.GetValueOrDefault(n) ?? new GroupListing(n, GroupState.Dead) { Type = GroupType.Classic }).ToList();
        var described = await DescribeManyGroupsAsync(wanted, cancellationToken);
        return names.Where(described.ContainsKey).Select(n => described[n]).ToList();
    }

    /// <summary>
    /// Without a listing to give the types: DescribeGroups first (v6 answers GROUP_ID_NOT_FOUND for a group of another
    /// type), then ConsumerGroupDescribe, StreamsGroupDescribe and ShareGroupDescribe for the groups still unknown;
    /// what none knows goes to librdkafka (Dead when the group does not exist).
    /// </summary>
    private async Task<IReadOnlyList<GroupDescription>> DescribeByTryingTypesAsync(List<string> names, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, GroupDescription>(StringComparer.Ordinal);
        var pending = names;
        foreach (var describer in new[] { groupDescriber, typedDescribers[GroupType.Consumer], typedDescribers[GroupType.Streams], typedDescribers[GroupType.Share] })
        {
            if (pending.Count == 0)
            {
                break;
            }
            foreach (var (group, description) in await describer.DescribeAsync(pending, cancellationToken) ?? new Dictionary<string, GroupDescription>())
            {
                result[group] = description;
            }
            pending = pending.Where(n => !result.ContainsKey(n)).ToList();
        }
        foreach (var d in await DescribeWithLibrdkafkaAsync(pending, cancellationToken))
        {
            result[d.Group] = d;
        }
        return names.Where(result.ContainsKey).Select(n => result[n]).ToList();
    }

    /// <summary>librdkafka's DescribeConsumerGroups (DescribeGroups, and ConsumerGroupDescribe for KIP-848 groups), with retries.</summary>
    private async Task<IReadOnlyList<GroupDescription>> DescribeWithLibrdkafkaAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return [];
        }
        // A group whose coordinator is moving, loading or slow is asked again (with backoff, until the timeout), so a
        // failover is not mistaken for a group in an unknown state; what still fails then keeps its error.
        var described = new Dictionary<string, ConsumerGroupDescription>(StringComparer.Ordinal);
        var pending = groups.Distinct(StringComparer.Ordinal).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            List<ConsumerGroupDescription> descriptions;
            try
            {
                // Attempts of at most 10 s: a request lost on a cut connection then costs one attempt, not the whole timeout.
                var attemptTimeout = TimeSpan.FromTicks(Math.Min(timeout.Ticks, TimeSpan.FromSeconds(10).Ticks));
                var result = await Guard(admin.DescribeConsumerGroupsAsync(pending, new DescribeConsumerGroupsOptions { RequestTimeout = attemptTimeout }));
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
            foreach (var d in descriptions)
            {
                described[d.GroupId] = d;
            }
            pending = descriptions.Where(d => d.Error is { IsError: true } && IsRetriableGroupError(d.Error.Code)).Select(d => d.GroupId).ToList();
            var pause = TimeSpan.FromMilliseconds(Math.Min(2_000, 100 << Math.Min(attempt - 1, 5)));
            if (pending.Count == 0 || clock.Elapsed + pause > timeout)
            {
                break;
            }
            await Task.Delay(pause, cancellationToken);
        }
        return groups.Where(described.ContainsKey).Select(g => ToDescription(described[g], bootstrap)).ToList();
    }

    /// <summary>
    /// Descriptions of many groups in few round trips, each type with its own request, many groups per request to each
    /// coordinator (<see cref="Wire.WireGroupDescriber"/>): classic groups with DescribeGroups v5/v6, consumer groups
    /// (KIP-848) with ConsumerGroupDescribe, streams groups (KIP-1071) with StreamsGroupDescribe, share groups (KIP-932)
    /// with ShareGroupDescribe. Classic and consumer groups the batch left unanswered, and every group on brokers too old
    /// for these requests, go through librdkafka. A streams or share group that could not be described gets an error,
    /// never DescribeGroups' "Dead" (Kafka's answer there for a group of another type).
    /// </summary>
    internal async Task<IReadOnlyDictionary<string, GroupDescription>> DescribeManyGroupsAsync(IReadOnlyList<GroupListing> groups, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, GroupDescription>(StringComparer.Ordinal);
        var byType = groups.GroupBy(g => GroupType.OrClassic(g.Type), StringComparer.Ordinal).ToList();
        var reads = byType.Select(async t =>
        {
            var describer = t.Key == GroupType.Classic ? groupDescriber : typedDescribers[t.Key];
            return (t.Key, Answers: await describer.DescribeAsync(t.Select(g => g.Group).ToList(), cancellationToken));
        }).ToList();
        foreach (var (type, answers) in await Task.WhenAll(reads))
        {
            foreach (var (group, description) in answers ?? new Dictionary<string, GroupDescription>())
            {
                result[group] = description;
            }
        }
        foreach (var listing in groups.Where(g => GroupType.OrClassic(g.Type) is GroupType.Streams or GroupType.Share && !result.ContainsKey(g.Group)))
        {
            // librdkafka knows neither type: say the group could not be described rather than guess its state.
            result[listing.Group] = new GroupDescription(listing.Group, listing.State, [])
            {
                Type = listing.Type,
                Error = $"cannot describe {listing.Type} group '{listing.Group}' with {(listing.Type == GroupType.Share ? "ShareGroupDescribe" : "StreamsGroupDescribe")} on {bootstrap} (the broker does not speak it, or did not answer in time)",
            };
        }
        var rest = groups.Where(g => !result.ContainsKey(g.Group)).ToList();
        foreach (var batch in rest.Chunk(100))
        {
            var types = batch.ToDictionary(g => g.Group, g => g.Type, StringComparer.Ordinal);
            foreach (var d in await DescribeWithLibrdkafkaAsync(types.Keys, cancellationToken))
            {
                result[d.Group] = d with { Type = d.Type ?? types.GetValueOrDefault(d.Group) };
            }
        }
        return result;
    }

    private static bool IsRetriableGroupError(ErrorCode code) => code is ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupLoadInProgress
        or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.RequestTimedOut or ErrorCode.Local_TimedOut or ErrorCode.Local_Transport;

    private static GroupDescription ToDescription(ConsumerGroupDescription d, string bootstrap) =>
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
            Error = d.Error is { IsError: true } ? $"{d.Error.Reason} (asked through {bootstrap})" : null,
        };

    public Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>> ListShareGroupOffsetsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        shareGroupOffsets.DescribeAsync(groups, cancellationToken);

    public Task<IReadOnlyList<PartitionResult>> AlterShareGroupOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken) =>
        shareGroupOffsets.AlterAsync(group, offsets, cancellationToken);

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
        catch (ListConsumerGroupOffsetsException e) when (e.Results.Count > 0 && e.Results.All(r => r.Error.Code == ErrorCode.GroupIdNotFound))
        {
            // Kafka answers an unknown group with no offsets; brokers that say GROUP_ID_NOT_FOUND mean the same.
            return [];
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
        // Both ends at once: one ListOffsets per partition leader for each, all in flight together.
        var earliestRead = ListOffsetsAsync(partitions, OffsetSpec.Earliest(), "read log start offsets", logBound: true);
        var latestRead = ListOffsetsAsync(partitions, OffsetSpec.Latest(), "read log end offsets", logBound: true);
        try
        {
            await Task.WhenAll(earliestRead, latestRead);
        }
        catch (ClusterException)
        {
            // Surfaced by the awaits below, the earliest's first.
        }
        var earliest = await earliestRead;
        var latest = await latestRead;
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
        var found = await ListOffsetsAsync(partitions, OffsetSpec.ForTimestamp(time.ToUnixTimeMilliseconds()), "look up offsets by time", logBound: false);
        return partitions.ToDictionary(p => p, p => found.TryGetValue(p, out var o) ? o : null);
    }

    /// <summary>
    /// Offsets per partition; a partition with an error is absent, a -1 answer (nothing found) is null. Retriable
    /// errors (leader moving, request timed out, cut connection) are retried with backoff until the timeout; a
    /// partition still failing with one then fails the call, naming it, so it is never mistaken for a missing partition.
    /// A log start or end (<paramref name="logBound"/>) always exists, so -1 there is a failed answer (librdkafka
    /// reports a cut connection so) and is retried too.
    /// </summary>
    private async Task<Dictionary<CoreTopicPartition, long?>> ListOffsetsAsync(IReadOnlyCollection<CoreTopicPartition> partitions, OffsetSpec spec, string what, bool logBound)
    {
        var result = new Dictionary<CoreTopicPartition, long?>();
        // librdkafka fails the whole ListOffsets call when one topic is unknown: ask only for partitions that exist,
        // so the caller can name the missing ones.
        var topics = await ListTopicsAsync(CancellationToken.None);
        var pending = partitions.Where(p => topics.TryGetValue(p.Topic, out var count) && p.Partition < count).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var attempt = 0;
        while (pending.Count > 0)
        {
            attempt++;
            var request = pending.Select(p => new TopicPartitionOffsetSpec { TopicPartition = new KafkaTopicPartition(p.Topic, p.Partition), OffsetSpec = spec }).ToList();
            var retry = new Dictionary<CoreTopicPartition, string>();
            try
            {
                var infos = (await Guard(admin.ListOffsetsAsync(request, new ListOffsetsOptions { RequestTimeout = timeout }))).ResultInfos;
                Collect(infos, logBound, result, retry);
            }
            catch (ListOffsetsException e)
            {
                // Some partitions failed (e.g. unknown topic); keep the ones that answered, retry the retriable ones.
                Collect(e.Result.ResultInfos, logBound, result, retry);
            }
            catch (KafkaException e) when (IsRetriable(e.Error.Code))
            {
                foreach (var p in pending)
                {
                    retry[p] = e.Error.Reason;
                }
            }
            catch (KafkaException e)
            {
                throw Wrap(e, what);
            }
            pending = [.. retry.Keys];
            if (pending.Count == 0)
            {
                break;
            }
            var pause = TimeSpan.FromMilliseconds(Math.Min(2_000, 100 << Math.Min(attempt - 1, 5)));
            if (clock.Elapsed + pause > timeout)
            {
                throw new ClusterException($"cannot {what} of {string.Join(", ", pending.Order())} on {bootstrap}: gave up after {attempt} attempt(s) in "
                    + $"{clock.Elapsed.TotalSeconds:0.0} s; last error: {retry[pending[0]]}. Check the leaders of those partitions (brokers down or restarting) and run kmap again");
            }
            await Task.Delay(pause);
        }
        return result;
    }

    private static void Collect(IEnumerable<ListOffsetsResultInfo> infos, bool logBound, Dictionary<CoreTopicPartition, long?> result, Dictionary<CoreTopicPartition, string> retry)
    {
        foreach (var info in infos)
        {
            var tpo = info.TopicPartitionOffsetError;
            var partition = new CoreTopicPartition(tpo.Topic, tpo.Partition.Value);
            if (!tpo.Error.IsError && logBound && tpo.Offset.Value < 0)
            {
                retry[partition] = "the answer carried no offset (connection lost?)";
            }
            else if (!tpo.Error.IsError)
            {
                result[partition] = tpo.Offset.Value >= 0 ? tpo.Offset.Value : null;
            }
            else if (IsRetriable(tpo.Error.Code))
            {
                retry[partition] = tpo.Error.Reason;
            }
        }
    }

    /// <summary>Errors that say "not now": a leader moving or loading, a timeout, a cut connection.</summary>
    private static bool IsRetriable(ErrorCode code) => code is ErrorCode.RequestTimedOut or ErrorCode.NotLeaderForPartition or ErrorCode.LeaderNotAvailable
        or ErrorCode.NetworkException or ErrorCode.NotEnoughReplicas or ErrorCode.KafkaStorageError or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch
        or ErrorCode.OffsetNotAvailable or ErrorCode.Local_Transport or ErrorCode.Local_TimedOut or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Retry
        or ErrorCode.Local_WaitCoord;

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

    public async Task PrepareCommitsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        if (await offsetCommit.IsSupportedAsync(cancellationToken))
        {
            await offsetCommit.FindCoordinatorsAsync(groups, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        if (await offsetCommit.IsSupportedAsync(cancellationToken))
        {
            // One round trip per group, straight to its coordinator (librdkafka looks the coordinator up before each commit).
            return await offsetCommit.CommitAsync(group, offsets, cancellationToken);
        }
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
            if (report.Partitions.Count > 0 && report.Partitions.All(p => p.Error.IsError && p.Error.Code == report.Partitions[0].Error.Code)
                && IsRetriableGroupError(report.Partitions[0].Error.Code))
            {
                // A coordinator error is the group's, not its partitions' (Kafka repeats it on each): say it once, with the brokers.
                throw new ClusterException($"cannot commit offsets for group '{group}' on {bootstrap}: {report.Partitions[0].Error.Reason} (the group's coordinator is moving, loading or slow; run again)", e);
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
