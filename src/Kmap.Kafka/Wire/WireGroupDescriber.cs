using System.Collections.Concurrent;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Describes many groups of one type with hand-written requests (<see cref="GroupDescribeApi"/>: DescribeGroups for
/// classic groups, Consumer/Streams/ShareGroupDescribe for the others): FindCoordinator v4 (1,000 groups per request),
/// then the describe request with many groups per request to each coordinator, every coordinator at once over a few
/// connections. librdkafka's DescribeConsumerGroups sends one DescribeGroups request per group, each after its own
/// coordinator lookup: thousands of round trips for thousands of groups. Retriable answers (NOT_COORDINATOR,
/// COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, REQUEST_TIMED_OUT) and cut or stalled connections are
/// retried with backoff until the deadline; groups still unanswered then are left out of the answer, so the caller
/// can ask librdkafka about them. A group error that is not about the coordinator is the group's answer.
/// </summary>
internal sealed class WireGroupDescriber(ConnectionSettings settings, TimeSpan deadline, GroupDescribeApi api)
{
    /// <summary>The classic groups' describer (DescribeGroups v5/v6).</summary>
    public WireGroupDescriber(ConnectionSettings settings, TimeSpan deadline)
        : this(settings, deadline, new DescribeGroupsApi())
    {
    }

    public int GroupsPerRequest { get; init; } = 250;

    public int ConnectionsPerCoordinator { get; init; } = 4;

    /// <summary>
    /// Descriptions of the groups it could answer for; null when the cluster does not speak this type's describe
    /// request (DescribeGroups v5: Kafka before 2.4), or no bootstrap broker answered: the caller then uses librdkafka.
    /// FindCoordinator is batched at v4 (Kafka 3.0+) and one group per request, pipelined, below.
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
        short version = -1;
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
                        version = api.Version(versions.Max(api.Key));
                        findCoordinatorVersion = WireFindCoordinator.VersionFor(versions.Max(WireFindCoordinator.Key));
                        supported = version >= 0 && findCoordinatorVersion >= 0;
                        if (supported == false)
                        {
                            return null;
                        }
                    }
                    byCoordinator = await WireFindCoordinator.ByCoordinatorAsync(connection, findCoordinatorVersion, pending, answer =>
                    {
                        if (!KafkaErrorCodes.IsRetriable(answer.Error))
                        {
                            answers[answer.Group] = new GroupDescription(answer.Group, GroupState.Unknown, []) { Type = api.Type, Error = answer.Failure(connection.Broker) };
                        }
                    }, overall.Token);
                }
                catch (Exception e) when (WireRetry.IsTransportFailure(e, overall.Token))
                {
                    continue;
                }
                await Task.WhenAll(byCoordinator.Select(c => DescribeOnCoordinatorAsync(c.Key, c.Value, version, answers, overall.Token)));
                pending = pending.Where(g => !answers.ContainsKey(g)).ToList();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The overall deadline: what is still pending is left to the caller.
        }
        cancellationToken.ThrowIfCancellationRequested();
        // A null answer is a group this API does not know (another type, or none): left to the caller like the unanswered.
        return supported is null ? null : answers.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
    }

    private async Task DescribeOnCoordinatorAsync(WireBroker coordinator, List<string> groups, short version, ConcurrentDictionary<string, GroupDescription?> answers, CancellationToken cancellationToken)
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
                    var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(api.Key, version, flexible: true,
                        w => api.WriteRequest(w, batch, version), ct), cancellationToken);
                    foreach (var (group, description) in api.ReadResponse(reader, coordinator, version))
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

}
