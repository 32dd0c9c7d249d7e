using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Model;
using CoreTopicPartition = Kmap.Core.Model.TopicPartition;
using GroupMemberInfo = Kmap.Core.ClusterMap.GroupMemberInfo;

namespace Kmap.Kafka;

/// <summary>
/// Reads a whole cluster into kmap's ClusterMap: DescribeCluster, Metadata, DescribeConfigs (topics),
/// ListOffsets (earliest and latest), and every consumer group with its committed offsets.
/// </summary>
public sealed class ClusterMapReader(KafkaAdmin admin, TimeProvider time)
{
    /// <summary>How many groups' offsets are fetched at once (librdkafka answers one group per call).</summary>
    private const int GroupConcurrency = 16;

    /// <summary>
    /// False reads the groups as kmap did before the batched path: librdkafka's DescribeConsumerGroups (one request per
    /// group) and one committed-offsets call per group. Tests compare the two maps; the fallbacks use the same code.
    /// </summary>
    internal bool Batched { get; init; } = true;

    /// <summary>Told (groups read, groups in all) while the map reads the groups' committed offsets; null: nobody listens.</summary>
    public Action<int, int>? GroupProgress { get; init; }

    public async Task<ClusterMap> ReadAsync(string cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var client = admin.Client;
        // The groups (listing, descriptions, committed offsets: batched per coordinator) are read while the topics,
        // configs and log offsets are: every broker has requests in flight at once. Lag is joined at the end.
        using var groupsCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var groupsRead = ReadGroupDataAsync(groupsCancel.Token);
        try
        {
            var description = await Call(() => client.DescribeClusterAsync(new DescribeClusterOptions { RequestTimeout = admin.Timeout }), cluster, "describe the cluster");
            Metadata metadata;
            try
            {
                metadata = client.GetMetadata(admin.Timeout);
            }
            catch (KafkaException e)
            {
                throw new ClusterException($"cannot read the metadata of {cluster}: {e.Error.Reason}", e);
            }
            var topicsMetadata = metadata.Topics.Where(t => !t.Error.IsError).OrderBy(t => t.Topic, StringComparer.Ordinal).ToList();
            var configsRead = ReadTopicConfigsAsync(client, topicsMetadata.Select(t => t.Topic).ToList(), cluster);
            var partitions = topicsMetadata.SelectMany(t => t.Partitions.Select(p => new CoreTopicPartition(t.Topic, p.PartitionId))).ToList();
            var offsetsReadAt = Milliseconds(time.GetUtcNow());
            var offsetsRead = partitions.Count == 0
                ? Task.FromResult<IReadOnlyDictionary<CoreTopicPartition, LogOffsets>>(new Dictionary<CoreTopicPartition, LogOffsets>())
                : admin.ListLogOffsetsAsync(partitions, cancellationToken);
            await Task.WhenAll(Observed(configsRead), Observed(offsetsRead));
            var configs = await configsRead;
            var offsets = await offsetsRead;
            return Build(cluster, description, topicsMetadata, configs, offsets, offsetsReadAt, await groupsRead);
        }
        catch
        {
            // The cluster could not be read: say so now, not after the groups' retries run out.
            await groupsCancel.CancelAsync();
            throw;
        }
        finally
        {
            // A failure above must not leave the group read's own failure unobserved.
            await Observed(groupsRead);
        }
    }

    /// <summary>Waits for a task without throwing its exception (the caller awaits the task itself for that).</summary>
    private static async Task Observed(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is ClusterException or KafkaException or OperationCanceledException)
        {
        }
    }

    private ClusterMap Build(string cluster, DescribeClusterResult description, List<TopicMetadata> topicsMetadata,
        Dictionary<string, IReadOnlyList<TopicConfigEntry>> configs, IReadOnlyDictionary<CoreTopicPartition, LogOffsets> offsets,
        DateTimeOffset offsetsReadAt, GroupData groupData)
    {
        var topics = topicsMetadata.Select(t => new TopicInfo(
            t.Topic,
            t.Partitions.OrderBy(p => p.PartitionId).Select(p =>
            {
                offsets.TryGetValue(new CoreTopicPartition(t.Topic, p.PartitionId), out var range);
                return new PartitionInfo(p.PartitionId, p.Leader >= 0 ? p.Leader : null, p.Replicas.ToList(), p.InSyncReplicas.ToList())
                {
                    LogStartOffset = range?.LogStartOffset,
                    LogEndOffset = range?.LogEndOffset,
                };
            }).ToList(),
            configs.TryGetValue(t.Topic, out var c) ? c : [])
        {
            // Metadata in librdkafka does not carry is_internal; Kafka's internal topics are the "__" ones.
            IsInternal = t.Topic.StartsWith("__", StringComparison.Ordinal),
        }).ToList();

        var brokers = description.Nodes
            .OrderBy(n => n.Id)
            .Select(n => new BrokerInfo(n.Id, n.Host, n.Port, string.IsNullOrEmpty(n.Rack) ? null : n.Rack, description.Controller?.Id == n.Id))
            .ToList();
        var groups = JoinGroups(groupData, offsets);
        var map = new ClusterMap(Milliseconds(time.GetUtcNow()), cluster, description.ClusterId, description.Controller?.Id, brokers, topics, groups)
        {
            OffsetsReadAt = offsetsReadAt,
        };
        return ClusterMapCounts.WithBrokerCounts(map);
    }

    /// <summary>
    /// The topics `include` accepts, with their partitions (leader, replicas, ISR) and non-default configs,
    /// and nothing else: what `kmap topics --describe` prints. Offsets are not read.
    /// </summary>
    public async Task<IReadOnlyList<TopicInfo>> DescribeTopicsAsync(string cluster, Func<string, bool> include, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(include);
        cancellationToken.ThrowIfCancellationRequested();
        Metadata metadata;
        try
        {
            metadata = admin.Client.GetMetadata(admin.Timeout);
        }
        catch (KafkaException e)
        {
            throw new ClusterException($"cannot read the metadata of {cluster}: {e.Error.Reason}", e);
        }
        var topics = metadata.Topics.Where(t => !t.Error.IsError && include(t.Topic)).OrderBy(t => t.Topic, StringComparer.Ordinal).ToList();
        var configs = await ReadTopicConfigsAsync(admin.Client, topics.Select(t => t.Topic).ToList(), cluster);
        return topics.Select(t => new TopicInfo(
            t.Topic,
            t.Partitions.OrderBy(p => p.PartitionId).Select(p => new PartitionInfo(p.PartitionId, p.Leader >= 0 ? p.Leader : null, p.Replicas.ToList(), p.InSyncReplicas.ToList())).ToList(),
            configs.TryGetValue(t.Topic, out var c) ? c : [])
        {
            IsInternal = t.Topic.StartsWith("__", StringComparison.Ordinal),
        }).ToList();
    }

    /// <summary>
    /// A second lag sample: the log end offsets of the partitions the groups had committed offsets for,
    /// then those groups' committed offsets (the order of the first sample). Groups without committed
    /// offsets are not read again: they have no lag to grow.
    /// </summary>
    public async Task<(DateTimeOffset At, IReadOnlyList<ConsumerGroupInfo> Groups)> ReadLagSampleAsync(IReadOnlyList<ConsumerGroupInfo> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var sampled = groups.Where(g => g.Offsets.Count > 0).ToList();
        var partitions = sampled.SelectMany(g => g.Offsets.Select(o => new CoreTopicPartition(o.Topic, o.Partition))).Distinct().ToList();
        var at = Milliseconds(time.GetUtcNow());
        var ends = partitions.Count == 0 ? new Dictionary<CoreTopicPartition, LogOffsets>() : await admin.ListLogOffsetsAsync(partitions, cancellationToken);
        var (committed, errors) = await ReadCommittedAsync(sampled.Select(g => g.Group).ToList(), cancellationToken);
        var result = sampled
            .Where(g => !errors.ContainsKey(g.Group))
            .Select(g => g with
            {
                Offsets = committed[g.Group].OrderBy(x => x.Topic, StringComparer.Ordinal).ThenBy(x => x.Partition)
                    .Select(x => new GroupOffsetInfo(x.Topic, x.Partition, x.Offset)
                    {
                        LogEndOffset = ends.TryGetValue(new CoreTopicPartition(x.Topic, x.Partition), out var log) ? log.LogEndOffset : null,
                    }).ToList(),
            })
            .ToList();
        return (at, result);
    }

    /// <summary>Milliseconds are enough for a snapshot and keep the JSON readable.</summary>
    private static DateTimeOffset Milliseconds(DateTimeOffset now) => new(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    private async Task<Dictionary<string, IReadOnlyList<TopicConfigEntry>>> ReadTopicConfigsAsync(IAdminClient client, List<string> topics, string cluster)
    {
        var result = new Dictionary<string, IReadOnlyList<TopicConfigEntry>>(StringComparer.Ordinal);
        // Batches keep each request a reasonable size on clusters with thousands of topics.
        foreach (var batch in topics.Chunk(500))
        {
            List<DescribeConfigsResult> described;
            try
            {
                described = await client.DescribeConfigsAsync(
                    batch.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }),
                    new DescribeConfigsOptions { RequestTimeout = admin.Timeout });
            }
            catch (DescribeConfigsException e)
            {
                described = e.Results.Where(r => !r.Error.IsError).Select(r => new DescribeConfigsResult { ConfigResource = r.ConfigResource, Entries = r.Entries }).ToList();
            }
            catch (KafkaException e)
            {
                throw new ClusterException($"cannot read the topic configs of {cluster}: {e.Error.Reason}", e);
            }
            foreach (var entry in described)
            {
                result[entry.ConfigResource.Name] = entry.Entries.Values
                    .Where(v => !v.IsDefault && v.Source != ConfigSource.DefaultConfig)
                    .OrderBy(v => v.Name, StringComparer.Ordinal)
                    .Select(v => new TopicConfigEntry(v.Name, v.IsSensitive ? null : v.Value, SourceName(v.Source)) { IsSensitive = v.IsSensitive })
                    .ToList();
            }
        }
        return result;
    }

    /// <summary>What the map knows of the groups before lag is joined in: listings, descriptions, committed offsets.</summary>
    private sealed record GroupData(
        IReadOnlyList<GroupListing> Listed,
        IReadOnlyDictionary<string, GroupDescription> Described,
        Dictionary<string, IReadOnlyList<CommittedOffset>> Committed,
        Dictionary<string, string> Errors);

    private async Task<GroupData> ReadGroupDataAsync(CancellationToken cancellationToken)
    {
        var listed = await admin.ListGroupsAsync(cancellationToken);
        var names = listed.Select(g => g.Group).OrderBy(g => g, StringComparer.Ordinal).ToList();
        if (!Batched)
        {
            var one = new Dictionary<string, GroupDescription>(StringComparer.Ordinal);
            foreach (var batch in names.Chunk(100))
            {
                foreach (var d in await admin.DescribeGroupsAsync(batch, cancellationToken))
                {
                    one[d.Group] = d;
                }
            }
            var (c, e) = await ReadCommittedAsync(names, cancellationToken, batched: false);
            return new GroupData(listed, one, c, e);
        }
        // Descriptions and committed offsets are independent: both in flight at once, each batched per coordinator.
        var describing = admin.DescribeManyGroupsAsync(listed, cancellationToken);
        var committing = ReadCommittedAsync(names, cancellationToken);
        await Task.WhenAll(Observed(describing), Observed(committing));
        var (committed, errors) = await committing;
        await ReadShareStartOffsetsAsync(listed, committed, errors, cancellationToken);
        return new GroupData(listed, await describing, committed, errors);
    }

    /// <summary>Share groups have no committed offsets: their start offsets (DescribeShareGroupOffsets) take their place.</summary>
    private async Task ReadShareStartOffsetsAsync(IReadOnlyList<GroupListing> listed, Dictionary<string, IReadOnlyList<CommittedOffset>> committed,
        Dictionary<string, string> errors, CancellationToken cancellationToken)
    {
        var share = listed.Where(g => GroupType.IsShare(g.Type)).Select(g => g.Group).ToList();
        if (share.Count == 0)
        {
            return;
        }
        foreach (var (group, answer) in await admin.ListShareGroupOffsetsAsync(share, cancellationToken))
        {
            errors.Remove(group);
            if (answer.Offsets is { } offsets)
            {
                committed[group] = offsets;
            }
            else
            {
                errors[group] = answer.Error ?? $"cannot read the start offsets of share group '{group}'";
            }
        }
    }

    private static List<ConsumerGroupInfo> JoinGroups(GroupData data, IReadOnlyDictionary<CoreTopicPartition, LogOffsets> logs)
    {
        var (listed, described, committed, errors) = data;
        var names = listed.Select(g => g.Group).OrderBy(g => g, StringComparer.Ordinal).ToList();
        var listings = listed.ToDictionary(g => g.Group, StringComparer.Ordinal);
        return names.Select(name =>
        {
            described.TryGetValue(name, out var d);
            var offsets = committed.TryGetValue(name, out var o) ? o : [];
            return new ConsumerGroupInfo(
                name,
                d?.State ?? listings[name].State,
                d?.Members.Select(m => new GroupMemberInfo(m.MemberId, m.ClientId, m.Host,
                    m.Assignment.OrderBy(a => a).Select(a => new AssignedPartition(a.Topic, a.Partition)).ToList())).ToList() ?? [],
                offsets.OrderBy(x => x.Topic, StringComparer.Ordinal).ThenBy(x => x.Partition)
                    .Select(x => new GroupOffsetInfo(x.Topic, x.Partition, x.Offset)
                    {
                        LogEndOffset = logs.TryGetValue(new CoreTopicPartition(x.Topic, x.Partition), out var log) ? log.LogEndOffset : null,
                    }).ToList())
            {
                ProtocolType = d is { Members.Count: > 0 } || listings[name].IsSimple == false ? "consumer" : null,
                Protocol = string.IsNullOrEmpty(d?.PartitionAssignor) ? null : d.PartitionAssignor,
                CoordinatorId = d?.CoordinatorId,
                Error = errors.TryGetValue(name, out var error) ? error : d?.Error,
                Type = GroupType.OrClassic(listings[name].Type ?? d?.Type),
            };
        }).ToList();
    }

    /// <summary>Committed offsets of many groups, a few at a time; a group that cannot be read has its error instead.</summary>
    private async Task<(Dictionary<string, IReadOnlyList<CommittedOffset>> Committed, Dictionary<string, string> Errors)> ReadCommittedAsync(
        IReadOnlyList<string> names, CancellationToken cancellationToken, bool batched = true)
    {
        var committed = new Dictionary<string, IReadOnlyList<CommittedOffset>>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        // Many groups per OffsetFetch to each coordinator; whatever the batch does not answer is read group by group.
        var rest = names;
        if (batched && names.Count > 0 && await admin.ListCommittedOffsetsAsync(names, null, cancellationToken) is { } answers)
        {
            foreach (var (name, answer) in answers)
            {
                if (answer.Offsets is { } offsets)
                {
                    committed[name] = offsets;
                }
                else
                {
                    errors[name] = answer.Error ?? $"cannot read the committed offsets of group '{name}'";
                }
            }
            rest = names.Where(n => !answers.ContainsKey(n)).ToList();
        }
        var done = names.Count - rest.Count;
        if (done > 0)
        {
            GroupProgress?.Invoke(done, names.Count);
        }
        using var gate = new SemaphoreSlim(GroupConcurrency);
        await Task.WhenAll(rest.Select(async name =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                var offsets = await admin.ListCommittedOffsetsAsync(name, cancellationToken);
                lock (committed)
                {
                    committed[name] = offsets;
                }
            }
            catch (ClusterException e)
            {
                lock (committed)
                {
                    errors[name] = e.Message;
                }
            }
            finally
            {
                gate.Release();
                GroupProgress?.Invoke(Interlocked.Increment(ref done), names.Count);
            }
        }));
        return (committed, errors);
    }

    private static async Task<T> Call<T>(Func<Task<T>> call, string cluster, string what)
    {
        try
        {
            return await call();
        }
        catch (KafkaException e)
        {
            throw new ClusterException($"cannot {what} on {cluster}: {e.Error.Reason} (check the brokers, the security protocol and credentials)", e);
        }
    }

    private static string SourceName(ConfigSource source) => source switch
    {
        ConfigSource.DynamicTopicConfig => ConfigSources.DynamicTopic,
        ConfigSource.DynamicBrokerConfig => ConfigSources.DynamicBroker,
        ConfigSource.DynamicDefaultBrokerConfig => ConfigSources.DynamicDefaultBroker,
        ConfigSource.StaticBrokerConfig => ConfigSources.StaticBroker,
        ConfigSource.DefaultConfig => ConfigSources.Default,
        _ => ConfigSources.Unknown,
    };
}
