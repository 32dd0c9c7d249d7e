using System.Collections.Concurrent;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Admin offset commits (generation -1, no member: what kafka-consumer-groups.sh --reset-offsets sends) with
/// hand-written OffsetCommit v8 requests. Kafka's OffsetCommit carries one group, so a restore of N groups is N
/// commits whatever the client; what this saves is the coordinator lookup librdkafka's AlterConsumerGroupOffsets
/// sends before every commit (2 round trips per group become 1): the coordinators of all groups are found first,
/// 1,000 per FindCoordinator v4 request, and each commit goes straight to its coordinator over a pooled
/// connection. A commit is cancellable while it waits for its answer, unlike librdkafka's admin call.
/// It does not retry: it says whether a failure is worth a retry (<see cref="ClusterException.Retriable"/>) and
/// forgets the group's coordinator when the broker says it moved, so the caller's next attempt looks it up again.
/// </summary>
internal sealed class WireOffsetCommit(ConnectionSettings settings) : IDisposable
{
    private const short OffsetCommitKey = 8;
    private const short OffsetCommitVersion = 8;

    private readonly ConcurrentDictionary<string, WireBroker> coordinators = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<WireBroker, ConcurrentBag<WireConnection>> idle = new();
    private readonly SemaphoreSlim probe = new(1, 1);
    private bool? supported;

    /// <summary>The FindCoordinator version the cluster speaks, highest first (v4 batches keys; Kafka 2.8 has v0–3).</summary>
    private short findCoordinatorVersion = WireFindCoordinator.Version;

    /// <summary>
    /// Whether the cluster speaks OffsetCommit v8 (Kafka 2.4+) and FindCoordinator (any version: below v4, one
    /// group per request); asked once. False also when no bootstrap broker answers: the caller then uses librdkafka, which says why.
    /// </summary>
    public async Task<bool> IsSupportedAsync(CancellationToken cancellationToken)
    {
        if (supported is { } known)
        {
            return known;
        }
        await probe.WaitAsync(cancellationToken);
        try
        {
            if (supported is null)
            {
                using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), cancellationToken);
                var versions = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(connection, ct), cancellationToken);
                findCoordinatorVersion = WireFindCoordinator.VersionFor(versions.Max(WireFindCoordinator.Key));
                supported = versions.Max(OffsetCommitKey) >= OffsetCommitVersion && findCoordinatorVersion >= 0;
            }
            return supported.Value;
        }
        catch (Exception e) when (WireRetry.IsTransportFailure(e, cancellationToken))
        {
            return false;
        }
        finally
        {
            probe.Release();
        }
    }

    /// <summary>
    /// Looks up the coordinators of the groups about to be written, 1,000 per request. Groups it cannot place
    /// (a retriable error, a failed connection) are simply looked up again, alone, when they are committed.
    /// </summary>
    public async Task FindCoordinatorsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var unknown = groups.Where(g => !coordinators.ContainsKey(g)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        try
        {
            using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), cancellationToken);
            foreach (var chunk in unknown.Chunk(WireFindCoordinator.KeysPerRequest))
            {
                foreach (var answer in await WireFindCoordinator.FindAsync(connection, findCoordinatorVersion, chunk, cancellationToken))
                {
                    if (answer.Coordinator is not null)
                    {
                        coordinators[answer.Group] = answer.Coordinator;
                    }
                }
            }
        }
        catch (Exception e) when (WireRetry.IsTransportFailure(e, cancellationToken))
        {
            // Each commit looks its coordinator up by itself and reports a failure with the group's name.
        }
    }

    /// <summary>Commits the group's offsets in one OffsetCommit to its coordinator; one result per partition.</summary>
    public async Task<IReadOnlyList<PartitionResult>> CommitAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        var coordinator = await CoordinatorOfAsync(group, cancellationToken);
        var connection = await TakeConnectionAsync(coordinator, group, cancellationToken);
        List<(TopicPartition Partition, short Error)> results;
        try
        {
            var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(OffsetCommitKey, OffsetCommitVersion, flexible: true, w => WriteOffsetCommit(w, group, offsets), ct), cancellationToken);
            // Decoded here: an answer that does not parse is a transport failure like a cut connection.
            results = ReadOffsetCommit(reader);
        }
        catch (Exception e) when (WireRetry.IsTransportFailure(e, cancellationToken))
        {
            connection.Dispose();
            coordinators.TryRemove(group, out _);
            // Whether the broker applied it is unknown: the same commit again is harmless, so it is worth a retry.
            throw new ClusterException($"cannot commit offsets for group '{group}' on {coordinator}: {WireRetry.Describe(e)}", e) { Retriable = true };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        idle.GetOrAdd(coordinator, _ => []).Add(connection);
        var codes = results.Select(r => r.Error).Distinct().ToList();
        if (codes.Count == 1 && codes[0] != KafkaErrorCodes.None && KafkaErrorCodes.IsRetriable(codes[0]))
        {
            // A coordinator error is the group's, not its partitions' (Kafka repeats it on each): say it once.
            if (KafkaErrorCodes.NeedsNewCoordinator(codes[0]))
            {
                coordinators.TryRemove(group, out _);
            }
            throw new ClusterException($"cannot commit offsets for group '{group}' on {coordinator}: {KafkaErrorCodes.Name(codes[0])} "
                + "(the group's coordinator is moving, loading or slow; run again)")
            { Retriable = true };
        }
        return results.Select(r => new PartitionResult(r.Partition, r.Error == KafkaErrorCodes.None ? null : Describe(r.Error, coordinator))).ToList();
    }

    private async Task<WireBroker> CoordinatorOfAsync(string group, CancellationToken cancellationToken)
    {
        if (coordinators.TryGetValue(group, out var known))
        {
            return known;
        }
        WireConnection? connection = null;
        try
        {
            connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), cancellationToken);
            var answer = (await WireFindCoordinator.FindAsync(connection, findCoordinatorVersion, [group], cancellationToken)).Single();
            if (answer.Coordinator is not { } coordinator)
            {
                throw new ClusterException(answer.Failure(connection.Broker))
                {
                    Retriable = KafkaErrorCodes.IsRetriable(answer.Error),
                };
            }
            coordinators[group] = coordinator;
            return coordinator;
        }
        catch (Exception e) when (WireRetry.IsTransportFailure(e, cancellationToken))
        {
            var where = connection?.Broker.ToString() ?? $"the bootstrap brokers {settings.BootstrapServers}";
            throw new ClusterException($"cannot find the coordinator of group '{group}' on {where}: {WireRetry.Describe(e)}", e) { Retriable = true };
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task<WireConnection> TakeConnectionAsync(WireBroker coordinator, string group, CancellationToken cancellationToken)
    {
        if (idle.TryGetValue(coordinator, out var pool) && pool.TryTake(out var pooled))
        {
            return pooled;
        }
        try
        {
            return await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(coordinator, settings, ct), cancellationToken);
        }
        catch (Exception e) when (WireRetry.IsTransportFailure(e, cancellationToken))
        {
            coordinators.TryRemove(group, out _);
            throw new ClusterException($"cannot commit offsets for group '{group}': cannot reach its coordinator, {coordinator}: {WireRetry.Describe(e)}", e) { Retriable = true };
        }
    }

    private static void WriteOffsetCommit(WireWriter w, string group, IReadOnlyList<CommittedOffset> offsets)
    {
        w.CompactString(group);
        w.Int32(-1); // generation: an admin commit, from no member of the group
        w.CompactString(""); // member id
        w.CompactNullableString(null); // group instance id
        var topics = offsets.GroupBy(o => o.Topic, StringComparer.Ordinal).ToList();
        w.CompactArrayLength(topics.Count);
        foreach (var topic in topics)
        {
            w.CompactString(topic.Key);
            w.CompactArrayLength(topic.Count());
            foreach (var offset in topic)
            {
                w.Int32(offset.Partition);
                w.Int64(offset.Offset);
                w.Int32(-1); // leader epoch: epochs of another cluster mean nothing here
                w.CompactNullableString(null); // metadata
                w.EmptyTaggedFields();
            }
            w.EmptyTaggedFields();
        }
        w.EmptyTaggedFields();
    }

    private static List<(TopicPartition Partition, short Error)> ReadOffsetCommit(WireReader reader)
    {
        reader.Int32(); // throttle
        var results = new List<(TopicPartition, short)>();
        var topicCount = reader.CompactArrayLength();
        for (var t = 0; t < topicCount; t++)
        {
            var topic = reader.CompactString();
            var partitionCount = reader.CompactArrayLength();
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.Int32();
                var error = reader.Int16();
                reader.SkipTaggedFields();
                results.Add((new TopicPartition(topic, partition), error));
            }
            reader.SkipTaggedFields();
        }
        reader.SkipTaggedFields();
        return results;
    }

    /// <summary>A partition's error in Kafka's name and in words, as an operator reads it.</summary>
    private static string Describe(short error, WireBroker coordinator) => error switch
    {
        KafkaErrorCodes.UnknownMemberId or KafkaErrorCodes.IllegalGeneration or KafkaErrorCodes.RebalanceInProgress =>
            $"{KafkaErrorCodes.Name(error)} from {coordinator}: the group has active members, so only they may commit; stop its consumers first",
        _ => $"{KafkaErrorCodes.Name(error)} from {coordinator}",
    };

    public void Dispose()
    {
        foreach (var pool in idle.Values)
        {
            while (pool.TryTake(out var connection))
            {
                connection.Dispose();
            }
        }
        probe.Dispose();
    }
}
