using System.Collections.Concurrent;
using System.Diagnostics;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Reads committed offsets of many groups with hand-written requests: FindCoordinator v4 (batched keys), then
/// multi-group OffsetFetch v8 (KIP-709) per coordinator over a few connections. A broker without those versions
/// (Kafka 2.8: FindCoordinator v0–3, OffsetFetch v0–7) gets one group per request at its highest version, the
/// requests of a batch pipelined on each connection, so a batch still costs one round trip. Unlike librdkafka's admin
/// ListConsumerGroupOffsets (one group per call, no retries, and a crash on NOT_COORDINATOR, librdkafka#5040)
/// it retries: NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE re-find the coordinator, COORDINATOR_LOAD_IN_PROGRESS,
/// REQUEST_TIMED_OUT and cut or stalled connections reconnect, with backoff, until the overall deadline. Every
/// group gets an answer: its offsets, or an error naming the broker and the last failure.
/// </summary>
internal sealed class MultiGroupOffsetFetch(ConnectionSettings settings, TimeSpan deadline)
{
    private readonly string bootstrapServers = settings.BootstrapServers;

    /// <summary>A plaintext client of <paramref name="bootstrapServers"/>.</summary>
    public MultiGroupOffsetFetch(string bootstrapServers, TimeSpan deadline)
        : this(new ConnectionSettings { BootstrapServers = bootstrapServers }, deadline)
    {
    }

    private const short OffsetFetchKey = 9;
    private const short OffsetFetchVersion = 8;

    /// <summary>The oldest OffsetFetch version kmap sends: v2 is the first where a null topic list means "every partition".</summary>
    private const short OldestOffsetFetchVersion = 2;

    private short offsetFetchVersion = OffsetFetchVersion;
    private short findCoordinatorVersion = WireFindCoordinator.Version;

    public int GroupsPerRequest { get; init; } = 250;

    /// <summary>Says "retrying BROKER for up to N s (reason)" while a broker does not answer; null: nothing is said.</summary>
    internal WireRetryNotice? Notice { get; init; }

    public int ConnectionsPerCoordinator { get; init; } = 4;

    /// <summary>Returns null when the cluster has no OffsetFetch v2+ (Kafka before 0.10.2; the caller then uses librdkafka).</summary>
    public async Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>?> FetchAsync(IReadOnlyList<string> groups, Action<int>? progress, CancellationToken cancellationToken)
    {
        var answers = new ConcurrentDictionary<string, GroupOffsetsAnswer>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return answers;
        }
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(deadline);
        var clock = Stopwatch.StartNew();
        var lastError = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var pending = groups.Distinct(StringComparer.Ordinal).ToList();
        var done = 0;
        void Answered(int n) => progress?.Invoke(Interlocked.Add(ref done, n));
        var supported = (bool?)null;
        var attempt = 0;
        try
        {
            while (pending.Count > 0)
            {
                if (attempt > 0)
                {
                    await Task.Delay(WireRetry.Backoff(attempt - 1), overall.Token);
                }
                attempt++;
                Dictionary<WireBroker, List<string>> byCoordinator;
                WireBroker? bootstrap = null;
                try
                {
                    using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), overall.Token);
                    bootstrap = connection.Broker;
                    if (supported is null)
                    {
                        var versions = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(connection, ct), overall.Token);
                        offsetFetchVersion = Math.Min(OffsetFetchVersion, versions.Max(OffsetFetchKey));
                        findCoordinatorVersion = WireFindCoordinator.VersionFor(versions.Max(WireFindCoordinator.Key));
                        supported = offsetFetchVersion >= OldestOffsetFetchVersion && findCoordinatorVersion >= 0;
                        if (supported == false)
                        {
                            return null;
                        }
                    }
                    byCoordinator = await FindCoordinatorsAsync(connection, pending, answers, lastError, overall.Token);
                }
                catch (Exception e) when (WireRetry.IsTransportFailure(e, overall.Token))
                {
                    var where = bootstrap?.ToString() ?? $"the bootstrap brokers {bootstrapServers}";
                    foreach (var group in pending)
                    {
                        lastError[group] = $"FindCoordinator on {where}: {WireRetry.Describe(e)}";
                    }
                    Notice?.Retrying(bootstrap is null ? bootstrapServers : $"{bootstrap.Host}:{bootstrap.Port}", e, clock.Elapsed);
                    continue;
                }
                await Task.WhenAll(byCoordinator.Select(c => FetchFromCoordinatorAsync(c.Key, c.Value, answers, lastError, Answered, clock, overall.Token)));
                pending = pending.Where(g => !answers.ContainsKey(g)).ToList();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The overall deadline: what is still pending is answered with its last error below.
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (supported is null && answers.IsEmpty)
        {
            // Not one bootstrap broker answered: the same failure for every group, said once by the caller.
            var why = lastError.Values.FirstOrDefault() ?? "no answer";
            throw new ClusterException($"cannot reach any bootstrap broker of {bootstrapServers} within {deadline.TotalSeconds:0} s: {why}");
        }
        foreach (var group in pending.Where(g => !answers.ContainsKey(g)))
        {
            answers[group] = new GroupOffsetsAnswer(null,
                $"cannot read the committed offsets of group '{group}': gave up after {attempt} attempt(s) in {clock.Elapsed.TotalSeconds:0.0} s; last error: {lastError.GetValueOrDefault(group, "none")}");
        }
        return answers;
    }

    private Task<Dictionary<WireBroker, List<string>>> FindCoordinatorsAsync(WireConnection connection, IReadOnlyList<string> groups,
        ConcurrentDictionary<string, GroupOffsetsAnswer> answers, ConcurrentDictionary<string, string> lastError, CancellationToken cancellationToken) =>
        WireFindCoordinator.ByCoordinatorAsync(connection, findCoordinatorVersion, groups, answer =>
        {
            if (KafkaErrorCodes.IsRetriable(answer.Error))
            {
                lastError[answer.Group] = $"FindCoordinator on {connection.Broker}: {KafkaErrorCodes.Name(answer.Error)}";
            }
            else
            {
                answers[answer.Group] = new GroupOffsetsAnswer(null, answer.Failure(connection.Broker));
            }
        }, cancellationToken);

    private async Task FetchFromCoordinatorAsync(WireBroker coordinator, List<string> groups, ConcurrentDictionary<string, GroupOffsetsAnswer> answers,
        ConcurrentDictionary<string, string> lastError, Action<int> answered, Stopwatch clock, CancellationToken cancellationToken)
    {
        var batches = new ConcurrentQueue<string[]>(groups.Chunk(GroupsPerRequest));
        var workers = Enumerable.Range(0, Math.Min(ConnectionsPerCoordinator, batches.Count)).Select(async _ =>
        {
            WireConnection? connection = null;
            string[]? batch = null;
            try
            {
                connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(coordinator, settings, ct), cancellationToken);
                while (batches.TryDequeue(out batch))
                {
                    var current = batch;
                    if (offsetFetchVersion >= OffsetFetchVersion)
                    {
                        var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(OffsetFetchKey, OffsetFetchVersion, flexible: true, w => WriteOffsetFetch(w, current), ct), cancellationToken);
                        answered(ReadOffsetFetch(reader, coordinator, answers, lastError));
                        continue;
                    }
                    var version = offsetFetchVersion;
                    var flexible = version >= 6;
                    var bodies = current.Select(group => (Action<WireWriter>)(w => WriteSingleGroupOffsetFetch(w, version, group))).ToList();
                    var readers = await WireRetry.WithRequestTimeout(ct => connection.PipelineAsync(OffsetFetchKey, version, flexible, bodies, ct), cancellationToken);
                    var settled = 0;
                    for (var i = 0; i < current.Length; i++)
                    {
                        settled += ReadSingleGroupOffsetFetch(readers[i], version, current[i], coordinator, answers, lastError) ? 1 : 0;
                    }
                    answered(settled);
                }
            }
            catch (Exception e) when (e is OperationCanceledException || WireRetry.IsTransportFailure(e, cancellationToken))
            {
                // The groups of this connection stay pending and are retried on a new connection (or, at the
                // deadline, reported with this error; a cancellation by the caller surfaces in FetchAsync).
                var why = $"OffsetFetch on {coordinator}: {WireRetry.Describe(e)}";
                foreach (var group in batch ?? groups.ToArray())
                {
                    lastError[group] = why;
                }
                if (!cancellationToken.IsCancellationRequested)
                {
                    Notice?.Retrying($"{coordinator.Host}:{coordinator.Port}", e, clock.Elapsed);
                }
            }
            finally
            {
                connection?.Dispose();
            }
        });
        await Task.WhenAll(workers);
    }

    private static void WriteOffsetFetch(WireWriter w, string[] batch)
    {
        w.CompactArrayLength(batch.Length);
        foreach (var group in batch)
        {
            w.CompactString(group);
            w.CompactArrayLength(null); // null topics: every partition the group has committed
            w.EmptyTaggedFields();
        }
        w.Bool(false); // require_stable
        w.EmptyTaggedFields();
    }

    /// <summary>OffsetFetch v2–7, one group: v2–5 plain, v6 flexible, v7 adds require_stable.</summary>
    private static void WriteSingleGroupOffsetFetch(WireWriter w, short version, string group)
    {
        if (version >= 6)
        {
            w.CompactString(group);
            w.CompactArrayLength(null); // every partition the group has committed
        }
        else
        {
            w.NullableString16(group);
            w.Int32(-1); // null topics: every partition the group has committed
        }
        if (version >= 7)
        {
            w.Bool(false); // require_stable
        }
        if (version >= 6)
        {
            w.EmptyTaggedFields();
        }
    }

    /// <summary>Decodes an OffsetFetch v2–7 response for <paramref name="group"/>; true when the group is answered for good.</summary>
    private static bool ReadSingleGroupOffsetFetch(WireReader reader, short version, string group, WireBroker coordinator,
        ConcurrentDictionary<string, GroupOffsetsAnswer> answers, ConcurrentDictionary<string, string> lastError)
    {
        var flexible = version >= 6;
        if (version >= 3)
        {
            reader.Int32(); // throttle
        }
        var offsets = new List<CommittedOffset>();
        var partitionErrors = new List<string>();
        var retriablePartition = (short)0;
        var topicCount = flexible ? reader.CompactArrayLength() : reader.ArrayLength();
        for (var t = 0; t < topicCount; t++)
        {
            var topic = (flexible ? reader.CompactNullableString() : reader.NullableString16()) ?? "";
            var partitionCount = flexible ? reader.CompactArrayLength() : reader.ArrayLength();
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.Int32();
                var offset = reader.Int64();
                var epoch = version >= 5 ? reader.Int32() : -1;
                var metadata = flexible ? reader.CompactNullableString() : reader.NullableString16();
                var error = reader.Int16();
                if (flexible)
                {
                    reader.SkipTaggedFields();
                }
                Collect(topic, partition, offset, epoch, metadata, error, offsets, partitionErrors, ref retriablePartition);
            }
            if (flexible)
            {
                reader.SkipTaggedFields();
            }
        }
        var groupError = reader.Int16();
        return Settle(group, offsets, partitionErrors, retriablePartition, groupError, coordinator, answers, lastError);
    }

    private static void Collect(string topic, int partition, long offset, int epoch, string? metadata, short error,
        List<CommittedOffset> offsets, List<string> partitionErrors, ref short retriablePartition)
    {
        if (error != KafkaErrorCodes.None)
        {
            partitionErrors.Add($"{topic}-{partition}: {KafkaErrorCodes.Name(error)}");
            if (KafkaErrorCodes.IsRetriable(error))
            {
                retriablePartition = error;
            }
        }
        else if (offset >= 0)
        {
            // -1 means nothing committed: absence, not a position.
            offsets.Add(new CommittedOffset(topic, partition, offset) { LeaderEpoch = epoch >= 0 ? epoch : null, Metadata = string.IsNullOrEmpty(metadata) ? null : metadata });
        }
    }

    /// <summary>Turns one group's decoded answer into its result; false when it stays pending (a retriable error).</summary>
    private static bool Settle(string group, List<CommittedOffset> offsets, List<string> partitionErrors, short retriablePartition, short groupError,
        WireBroker coordinator, ConcurrentDictionary<string, GroupOffsetsAnswer> answers, ConcurrentDictionary<string, string> lastError)
    {
        if (KafkaErrorCodes.IsRetriable(groupError) || (groupError == KafkaErrorCodes.None && retriablePartition != 0))
        {
            // Not now: the group stays pending; NOT_COORDINATOR sends it back through FindCoordinator on the next round.
            lastError[group] = $"OffsetFetch on {coordinator}: {KafkaErrorCodes.Name(groupError != 0 ? groupError : retriablePartition)}";
            return false;
        }
        if (groupError == KafkaErrorCodes.GroupIdNotFound)
        {
            // Kafka answers an unknown group with no error and no offsets; some Kafka-protocol brokers say
            // GROUP_ID_NOT_FOUND (v8+ per group). Either way the group has no committed offsets: a fresh target of a
            // restore, or a group deleted between ListGroups and this OffsetFetch during a backup.
            answers[group] = new GroupOffsetsAnswer([], null);
            return true;
        }
        answers[group] = groupError != KafkaErrorCodes.None
            ? new GroupOffsetsAnswer(null, $"cannot read the committed offsets of group '{group}' on {coordinator}: {KafkaErrorCodes.Name(groupError)}")
            : partitionErrors.Count > 0
                ? new GroupOffsetsAnswer(null, $"cannot read every committed offset of group '{group}' on {coordinator}: {string.Join("; ", partitionErrors)}")
                : new GroupOffsetsAnswer(offsets, null);
        return true;
    }

    /// <summary>Decodes an OffsetFetch v8 response into answers; returns how many groups it answered for good.</summary>
    private static int ReadOffsetFetch(WireReader reader, WireBroker coordinator, ConcurrentDictionary<string, GroupOffsetsAnswer> answers, ConcurrentDictionary<string, string> lastError)
    {
        reader.Int32(); // throttle
        var answered = 0;
        // One string per topic name, not per partition: 200,000 offsets name only a few topics.
        var topicNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var groupCount = reader.CompactArrayLength();
        for (var g = 0; g < groupCount; g++)
        {
            var group = reader.CompactString();
            var offsets = new List<CommittedOffset>();
            var partitionErrors = new List<string>();
            var retriablePartition = (short)0;
            var topicCount = reader.CompactArrayLength();
            for (var t = 0; t < topicCount; t++)
            {
                var decoded = reader.CompactString();
                if (!topicNames.TryGetValue(decoded, out var topic))
                {
                    topicNames[decoded] = topic = decoded;
                }
                var partitionCount = reader.CompactArrayLength();
                for (var p = 0; p < partitionCount; p++)
                {
                    var partition = reader.Int32();
                    var offset = reader.Int64();
                    var epoch = reader.Int32();
                    var metadata = reader.CompactNullableString();
                    var error = reader.Int16();
                    reader.SkipTaggedFields();
                    Collect(topic, partition, offset, epoch, metadata, error, offsets, partitionErrors, ref retriablePartition);
                }
                reader.SkipTaggedFields();
            }
            var groupError = reader.Int16();
            reader.SkipTaggedFields();
            answered += Settle(group, offsets, partitionErrors, retriablePartition, groupError, coordinator, answers, lastError) ? 1 : 0;
        }
        reader.SkipTaggedFields();
        return answered;
    }
}
