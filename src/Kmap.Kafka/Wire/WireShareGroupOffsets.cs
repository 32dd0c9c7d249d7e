using System.Collections.Concurrent;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Share groups' (KIP-932) start offsets: DescribeShareGroupOffsets (API 90, many groups per request to each
/// coordinator, found with FindCoordinator v4) reads them, AlterShareGroupOffsets (API 91, one group per request)
/// sets them; Kafka accepts the latter only while the share group has no member. A share group has no committed
/// offsets (OffsetFetch knows nothing of it): its start offset per partition is what a backup keeps and a restore
/// writes back. Retriable answers and cut connections are retried with backoff until the deadline, as
/// <see cref="WireGroupDescriber"/> does; what is still unanswered then gets an error naming the group.
/// </summary>
internal sealed class WireShareGroupOffsets(ConnectionSettings settings, TimeSpan deadline)
{
    private const short DescribeKey = 90;
    private const short AlterKey = 91;

    public int GroupsPerRequest { get; init; } = 250;

    /// <summary>Each group's start offsets (partitions without one are left out), or why it could not be read.</summary>
    public async Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>> DescribeAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var answers = new ConcurrentDictionary<string, GroupOffsetsAnswer>(StringComparer.Ordinal);
        var lastError = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(deadline);
        var pending = groups.Distinct(StringComparer.Ordinal).ToList();
        short version = -1;
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
                try
                {
                    using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), overall.Token);
                    if (version < 0)
                    {
                        var versions = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(connection, ct), overall.Token);
                        version = Math.Min((short)1, versions.Max(DescribeKey));
                        if (version < 0 || versions.Max(WireFindCoordinator.Key) < WireFindCoordinator.Version)
                        {
                            return pending.ToDictionary(g => g, g => new GroupOffsetsAnswer(null,
                                $"cannot read the start offsets of share group '{g}': {connection.Broker} does not speak DescribeShareGroupOffsets (Kafka 4.1+ has it)"), StringComparer.Ordinal);
                        }
                    }
                    byCoordinator = await WireFindCoordinator.ByCoordinatorAsync(connection, WireFindCoordinator.Version, pending, answer =>
                    {
                        if (KafkaErrorCodes.IsRetriable(answer.Error))
                        {
                            lastError[answer.Group] = answer.Failure(connection.Broker);
                        }
                        else
                        {
                            answers[answer.Group] = new GroupOffsetsAnswer(null, answer.Failure(connection.Broker));
                        }
                    }, overall.Token);
                }
                catch (Exception e) when (WireRetry.IsTransportFailure(e, overall.Token))
                {
                    foreach (var group in pending)
                    {
                        lastError[group] = $"FindCoordinator: {WireRetry.Describe(e)}";
                    }
                    continue;
                }
                await Task.WhenAll(byCoordinator.Select(c => DescribeOnCoordinatorAsync(c.Key, c.Value, version, answers, lastError, overall.Token)));
                pending = pending.Where(g => !answers.ContainsKey(g)).ToList();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The overall deadline: what is still pending is answered with its last error below.
        }
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var group in pending.Where(g => !answers.ContainsKey(g)))
        {
            answers[group] = new GroupOffsetsAnswer(null,
                $"cannot read the start offsets of share group '{group}': gave up after {attempt} attempt(s); last error: {lastError.GetValueOrDefault(group, "none")}");
        }
        return answers;
    }

    private async Task DescribeOnCoordinatorAsync(WireBroker coordinator, List<string> groups, short version, ConcurrentDictionary<string, GroupOffsetsAnswer> answers,
        ConcurrentDictionary<string, string> lastError, CancellationToken cancellationToken)
    {
        WireConnection? connection = null;
        try
        {
            connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(coordinator, settings, ct), cancellationToken);
            foreach (var batch in groups.Chunk(GroupsPerRequest))
            {
                var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(DescribeKey, version, flexible: true, w =>
                {
                    w.CompactArrayLength(batch.Length);
                    foreach (var group in batch)
                    {
                        w.CompactString(group);
                        w.CompactArrayLength(null); // null topics: every partition the group has a start offset for
                        w.EmptyTaggedFields();
                    }
                    w.EmptyTaggedFields();
                }, ct), cancellationToken);
                foreach (var (group, answer, retry) in ReadDescribe(reader, coordinator, version))
                {
                    if (answer is not null)
                    {
                        answers[group] = answer;
                    }
                    else
                    {
                        lastError[group] = retry!;
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException || WireRetry.IsTransportFailure(e, cancellationToken))
        {
            foreach (var group in groups)
            {
                lastError.TryAdd(group, $"DescribeShareGroupOffsets on {coordinator}: {WireRetry.Describe(e)}");
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Decodes a DescribeShareGroupOffsets v0/v1 answer: per group an answer, or (null, why) to ask again.</summary>
    internal static List<(string Group, GroupOffsetsAnswer? Answer, string? Retry)> ReadDescribe(WireReader reader, WireBroker coordinator, short version)
    {
        reader.Int32(); // throttle
        var result = new List<(string, GroupOffsetsAnswer?, string?)>();
        var groupCount = reader.CompactArrayLength();
        for (var g = 0; g < groupCount; g++)
        {
            var group = reader.CompactString();
            var offsets = new List<CommittedOffset>();
            var errors = new List<string>();
            short retriable = 0;
            var topicCount = reader.CompactArrayLength();
            for (var t = 0; t < topicCount; t++)
            {
                var topic = reader.CompactString();
                reader.SkipUuid();
                var partitionCount = reader.CompactArrayLength();
                for (var p = 0; p < partitionCount; p++)
                {
                    var partition = reader.Int32();
                    var start = reader.Int64();
                    var epoch = reader.Int32();
                    if (version >= 1)
                    {
                        reader.Int64(); // lag
                    }
                    var error = reader.Int16();
                    var message = reader.CompactNullableString();
                    reader.SkipTaggedFields();
                    if (error != KafkaErrorCodes.None)
                    {
                        errors.Add($"{topic}-{partition}: {KafkaErrorCodes.Name(error)}{(string.IsNullOrEmpty(message) ? "" : $" ({message})")}");
                        retriable = KafkaErrorCodes.IsRetriable(error) ? error : retriable;
                    }
                    else if (start >= 0)
                    {
                        // -1: the share group has no state for the partition yet, so no position to keep.
                        offsets.Add(new CommittedOffset(topic, partition, start) { LeaderEpoch = epoch >= 0 ? epoch : null });
                    }
                }
                reader.SkipTaggedFields();
            }
            var groupError = reader.Int16();
            var groupMessage = reader.CompactNullableString();
            reader.SkipTaggedFields();
            if (KafkaErrorCodes.IsRetriable(groupError) || (groupError == KafkaErrorCodes.None && retriable != 0))
            {
                result.Add((group, null, $"DescribeShareGroupOffsets on {coordinator}: {KafkaErrorCodes.Name(groupError != 0 ? groupError : retriable)}"));
                continue;
            }
            var answer = groupError == KafkaErrorCodes.GroupIdNotFound
                ? new GroupOffsetsAnswer([], null) // no such share group: nothing to keep (a fresh restore target)
                : groupError != KafkaErrorCodes.None
                    ? new GroupOffsetsAnswer(null, $"cannot read the start offsets of share group '{group}' on {coordinator}: {KafkaErrorCodes.Name(groupError)}{(string.IsNullOrEmpty(groupMessage) ? "" : $" ({groupMessage})")}")
                    : errors.Count > 0
                        ? new GroupOffsetsAnswer(null, $"cannot read every start offset of share group '{group}' on {coordinator}: {string.Join("; ", errors)}")
                        : new GroupOffsetsAnswer(offsets, null);
            result.Add((group, answer, null));
        }
        reader.SkipTaggedFields();
        return result;
    }

    /// <summary>
    /// Sets the share group's start offsets in one AlterShareGroupOffsets to its coordinator; one result per partition.
    /// A group with members is refused by Kafka (NON_EMPTY_GROUP), named here with what to do.
    /// </summary>
    public async Task<IReadOnlyList<PartitionResult>> AlterAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        WireConnection? connection = null;
        WireBroker? coordinator = null;
        try
        {
            using (var bootstrap = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), cancellationToken))
            {
                var versions = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(bootstrap, ct), cancellationToken);
                if (versions.Max(AlterKey) < 0)
                {
                    throw new ClusterException($"cannot set the start offsets of share group '{group}': {bootstrap.Broker} does not speak AlterShareGroupOffsets (Kafka 4.1+ has it)");
                }
                var answer = (await WireFindCoordinator.FindAsync(bootstrap, [group], cancellationToken)).Single();
                coordinator = answer.Coordinator ?? throw new ClusterException(answer.Failure(bootstrap.Broker)) { Retriable = KafkaErrorCodes.IsRetriable(answer.Error) };
            }
            connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(coordinator, settings, ct), cancellationToken);
            var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(AlterKey, 0, flexible: true, w => WriteAlter(w, group, offsets), ct), cancellationToken);
            var (error, message, partitions) = ReadAlter(reader);
            if (error != KafkaErrorCodes.None)
            {
                var why = $"{KafkaErrorCodes.Name(error)}{(string.IsNullOrEmpty(message) ? "" : $" ({message})")}";
                throw new ClusterException(error switch
                {
                    KafkaErrorCodes.NonEmptyGroup => $"cannot set the start offsets of share group '{group}' on {coordinator}: {why}: the share group has members; stop its consumers, wait until it is Empty, then run the restore again",
                    KafkaErrorCodes.GroupIdNotFound => $"cannot set the start offsets of share group '{group}' on {coordinator}: {why}: Kafka sets them only for an existing share group; start one of its share consumers once, stop it, then run the restore again",
                    _ => $"cannot set the start offsets of share group '{group}' on {coordinator}: {why}",
                })
                {
                    Retriable = KafkaErrorCodes.IsRetriable(error),
                };
            }
            return partitions.Select(p => new PartitionResult(p.Partition, p.Error == KafkaErrorCodes.None ? null
                : $"{KafkaErrorCodes.Name(p.Error)}{(string.IsNullOrEmpty(p.Message) ? "" : $" ({p.Message})")} from {coordinator}")).ToList();
        }
        catch (Exception e) when (WireRetry.IsTransportFailure(e, cancellationToken))
        {
            var where = coordinator?.ToString() ?? $"the bootstrap brokers {settings.BootstrapServers}";
            throw new ClusterException($"cannot set the start offsets of share group '{group}' on {where}: {WireRetry.Describe(e)}", e) { Retriable = true };
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private static void WriteAlter(WireWriter w, string group, IReadOnlyList<CommittedOffset> offsets)
    {
        w.CompactString(group);
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
                w.EmptyTaggedFields();
            }
            w.EmptyTaggedFields();
        }
        w.EmptyTaggedFields();
    }

    /// <summary>AlterShareGroupOffsets v0's answer: a group error (Kafka 4.1+), then per topic and partition an error.</summary>
    internal static (short Error, string? Message, List<(TopicPartition Partition, short Error, string? Message)> Partitions) ReadAlter(WireReader reader)
    {
        reader.Int32(); // throttle
        var error = reader.Int16();
        var message = reader.CompactNullableString();
        var partitions = new List<(TopicPartition, short, string?)>();
        var topicCount = reader.CompactArrayLength();
        for (var t = 0; t < topicCount; t++)
        {
            var topic = reader.CompactString();
            reader.SkipUuid();
            var partitionCount = reader.CompactArrayLength();
            for (var p = 0; p < partitionCount; p++)
            {
                var partition = reader.Int32();
                var partitionError = reader.Int16();
                var partitionMessage = reader.CompactNullableString();
                reader.SkipTaggedFields();
                partitions.Add((new TopicPartition(topic, partition), partitionError, partitionMessage));
            }
            reader.SkipTaggedFields();
        }
        reader.SkipTaggedFields();
        return (error, message, partitions);
    }
}
