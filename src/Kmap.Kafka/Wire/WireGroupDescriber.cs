using System.Collections.Concurrent;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Describes many classic groups with hand-written requests: FindCoordinator v4 (1,000 groups per request), then
/// DescribeGroups v5 with many groups per request to each coordinator, every coordinator at once over a few
/// connections. librdkafka's DescribeConsumerGroups sends one DescribeGroups request per group, each after its own
/// coordinator lookup: thousands of round trips for thousands of groups. Retriable answers (NOT_COORDINATOR,
/// COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, REQUEST_TIMED_OUT) and cut or stalled connections are
/// retried with backoff until the deadline; groups still unanswered then are left out of the answer, so the caller
/// can ask librdkafka about them. A group error that is not about the coordinator is the group's answer.
/// </summary>
internal sealed class WireGroupDescriber(ConnectionSettings settings, TimeSpan deadline)
{
    private const short DescribeGroupsKey = 15;
    private const short DescribeGroupsVersion = 5;

    public int GroupsPerRequest { get; init; } = 250;

    public int ConnectionsPerCoordinator { get; init; } = 4;

    /// <summary>
    /// Descriptions of the groups it could answer for; null when the cluster does not speak DescribeGroups v5 (Kafka
    /// before 2.4), or no bootstrap broker answered: the caller then uses librdkafka. FindCoordinator is batched at
    /// v4 (Kafka 3.0+) and one group per request, pipelined, below.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, GroupDescription>?> DescribeAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        if (groups.Count == 0)
        {
            return new Dictionary<string, GroupDescription>(StringComparer.Ordinal);
        }
        var answers = new ConcurrentDictionary<string, GroupDescription?>(StringComparer.Ordinal);
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(deadline);
        var pending = groups.Distinct(StringComparer.Ordinal).ToList();
        bool? supported = null;
        var findCoordinatorVersion = WireFindCoordinator.Version;
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
                    if (supported is null)
                    {
                        var versions = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(connection, ct), overall.Token);
                        findCoordinatorVersion = WireFindCoordinator.VersionFor(versions.Max(WireFindCoordinator.Key));
                        supported = versions.Max(DescribeGroupsKey) >= DescribeGroupsVersion && findCoordinatorVersion >= 0;
                        if (supported == false)
                        {
                            return null;
                        }
                    }
                    byCoordinator = await WireFindCoordinator.ByCoordinatorAsync(connection, findCoordinatorVersion, pending, answer =>
                    {
                        if (!KafkaErrorCodes.IsRetriable(answer.Error))
                        {
                            answers[answer.Group] = new GroupDescription(answer.Group, GroupState.Unknown, []) { Error = answer.Failure(connection.Broker) };
                        }
                    }, overall.Token);
                }
                catch (Exception e) when (WireRetry.IsTransportFailure(e, overall.Token))
                {
                    continue;
                }
                await Task.WhenAll(byCoordinator.Select(c => DescribeOnCoordinatorAsync(c.Key, c.Value, answers, overall.Token)));
                pending = pending.Where(g => !answers.ContainsKey(g)).ToList();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The overall deadline: what is still pending is left to the caller.
        }
        cancellationToken.ThrowIfCancellationRequested();
        // A null answer is a group this API cannot describe (e.g. a KIP-848 group): left to the caller like the unanswered.
        return supported is null ? null : answers.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
    }

    private async Task DescribeOnCoordinatorAsync(WireBroker coordinator, List<string> groups, ConcurrentDictionary<string, GroupDescription?> answers, CancellationToken cancellationToken)
    {
        var batches = new ConcurrentQueue<string[]>(groups.Chunk(GroupsPerRequest));
        var workers = Enumerable.Range(0, Math.Min(ConnectionsPerCoordinator, batches.Count)).Select(async _ =>
        {
            WireConnection? connection = null;
            try
            {
                connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(coordinator, settings, ct), cancellationToken);
                while (batches.TryDequeue(out var batch))
                {
                    var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(DescribeGroupsKey, DescribeGroupsVersion, flexible: true, w =>
                    {
                        w.CompactArrayLength(batch.Length);
                        foreach (var group in batch)
                        {
                            w.CompactString(group);
                        }
                        w.Bool(false); // include_authorized_operations
                        w.EmptyTaggedFields();
                    }, ct), cancellationToken);
                    foreach (var (group, description) in ReadDescribeGroups(reader, coordinator))
                    {
                        answers[group] = description;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException || WireRetry.IsTransportFailure(e, cancellationToken))
            {
                // The groups of this connection stay pending: retried on a new connection, or left to the caller at the deadline.
            }
            finally
            {
                connection?.Dispose();
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Decodes a DescribeGroups v5 response; groups with a retriable error are left out (still pending), and a group
    /// the broker does not know as a classic group (GROUP_ID_NOT_FOUND: Kafka 4's answer for a KIP-848 group) has a
    /// null description, for librdkafka's ConsumerGroupDescribe.
    /// </summary>
    internal static List<(string Group, GroupDescription? Description)> ReadDescribeGroups(WireReader reader, WireBroker coordinator)
    {
        reader.Int32(); // throttle
        var count = reader.CompactArrayLength();
        var result = new List<(string, GroupDescription?)>(Math.Max(0, count));
        var topicNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var error = reader.Int16();
            var group = reader.CompactString();
            var state = reader.CompactString();
            var protocolType = reader.CompactString();
            var protocolData = reader.CompactString();
            var memberCount = reader.CompactArrayLength();
            var members = new List<GroupMember>(Math.Max(0, memberCount));
            for (var m = 0; m < memberCount; m++)
            {
                var memberId = reader.CompactString();
                var instanceId = reader.CompactNullableString();
                var clientId = reader.CompactString();
                var host = reader.CompactString();
                reader.SkipCompactBytes(); // member metadata (the subscription)
                var assignment = reader.CompactBytes();
                reader.SkipTaggedFields();
                // As librdkafka: only the consumer protocol's assignment is decoded; other protocols' bytes mean nothing here.
                var assigned = protocolType == "consumer" && assignment is { Length: > 0 } ? ConsumerAssignment(assignment, topicNames) : [];
                members.Add(new GroupMember(memberId, clientId, host, assigned) { GroupInstanceId = instanceId });
            }
            reader.Int32(); // authorized operations
            reader.SkipTaggedFields();
            if (KafkaErrorCodes.IsRetriable(error))
            {
                continue;
            }
            if (error == KafkaErrorCodes.GroupIdNotFound)
            {
                result.Add((group, null));
                continue;
            }
            var coordinatorAddress = $"{coordinator.Host}:{coordinator.Port}";
            result.Add((group, error != KafkaErrorCodes.None
                ? new GroupDescription(group, GroupState.Unknown, [])
                {
                    PartitionAssignor = protocolData,
                    Coordinator = coordinatorAddress,
                    CoordinatorId = coordinator.Id,
                    Error = $"{KafkaErrorCodes.Name(error)} (asked {coordinator})",
                }
                : new GroupDescription(group, WireGroupLister.StateName(state), members)
                {
                    PartitionAssignor = protocolData,
                    Coordinator = coordinatorAddress,
                    CoordinatorId = coordinator.Id,
                }));
        }
        reader.SkipTaggedFields();
        return result;
    }

    /// <summary>The consumer protocol's assignment (version, [topic [partition]], user data; not flexible in any version).</summary>
    private static List<TopicPartition> ConsumerAssignment(byte[] bytes, Dictionary<string, string> topicNames)
    {
        try
        {
            var reader = new WireReader(bytes);
            reader.Int16(); // version
            var topics = reader.ArrayLength();
            var result = new List<TopicPartition>();
            for (var t = 0; t < topics; t++)
            {
                var decoded = reader.NullableString16() ?? "";
                if (!topicNames.TryGetValue(decoded, out var topic))
                {
                    topicNames[decoded] = topic = decoded;
                }
                var partitions = reader.ArrayLength();
                for (var p = 0; p < partitions; p++)
                {
                    result.Add(new TopicPartition(topic, reader.Int32()));
                }
            }
            return result;
        }
        catch (FormatException)
        {
            // A member whose assignment is not the consumer protocol's shows no partitions rather than failing the map.
            return [];
        }
    }
}
