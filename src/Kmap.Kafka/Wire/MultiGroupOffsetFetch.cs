using System.Collections.Concurrent;
using System.Net.Sockets;
using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Multi-group OffsetFetch (v8+, KIP-709) written by hand, because librdkafka's ListConsumerGroupOffsets
/// takes exactly one group per call. FindCoordinator v4 looks up coordinators in batches, then each
/// coordinator gets OffsetFetch requests of <see cref="GroupsPerRequest"/> groups over a few
/// connections: round trips grow with groups / batch, not with groups. Anything unexpected (a batch
/// that fails, a coordinator that moved) leaves those groups out, and the caller reads them one by one.
/// </summary>
internal sealed class MultiGroupOffsetFetch(string bootstrapServers, TimeSpan timeout)
{
    private const short OffsetFetchKey = 9;
    private const short FindCoordinatorKey = 10;
    private const short ApiVersionsKey = 18;
    private const short OffsetFetchVersion = 8;
    private const short FindCoordinatorVersion = 4;
    private const int KeysPerFindCoordinator = 1_000;

    // Errors after which librdkafka's per-group path (which retries and re-discovers) should try again.
    private static readonly HashSet<short> Retriable = [14, 15, 16]; // COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR

    public int GroupsPerRequest { get; init; } = 250;

    public int ConnectionsPerCoordinator { get; init; } = 4;

    public async Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>?> FetchAsync(IReadOnlyList<string> groups, Action<int>? progress, CancellationToken cancellationToken)
    {
        var answers = new ConcurrentDictionary<string, GroupOffsetsAnswer>(StringComparer.Ordinal);
        if (groups.Count == 0)
        {
            return answers;
        }
        Dictionary<(string Host, int Port), List<string>> byCoordinator;
        try
        {
            using var bootstrap = await WithTimeout(ct => WireConnection.ConnectAnyAsync(bootstrapServers, ct), cancellationToken);
            if (!await SupportsBatchingAsync(bootstrap, cancellationToken))
            {
                return null;
            }
            byCoordinator = await FindCoordinatorsAsync(bootstrap, groups, cancellationToken);
        }
        catch (Exception e) when (IsTransportFailure(e, cancellationToken))
        {
            return null;
        }

        var done = 0;
        await Task.WhenAll(byCoordinator.Select(c => FetchFromCoordinatorAsync(c.Key.Host, c.Key.Port, c.Value, answers, n => progress?.Invoke(Interlocked.Add(ref done, n)), cancellationToken)));
        return answers;
    }

    private static bool IsTransportFailure(Exception e, CancellationToken cancellationToken) =>
        e is IOException or SocketException or FormatException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<T> WithTimeout<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        return await call(deadline.Token);
    }

    private async Task<bool> SupportsBatchingAsync(WireConnection connection, CancellationToken cancellationToken)
    {
        // ApiVersions v0: every broker answers it, and its response header is never flexible.
        var reader = await WithTimeout(ct => connection.SendAsync(ApiVersionsKey, 0, flexible: false, _ => { }, ct), cancellationToken);
        if (reader.Int16() != 0)
        {
            return false;
        }
        short offsetFetchMax = -1, findCoordinatorMax = -1;
        var count = reader.ArrayLength();
        for (var i = 0; i < count; i++)
        {
            var key = reader.Int16();
            reader.Int16();
            var max = reader.Int16();
            if (key == OffsetFetchKey)
            {
                offsetFetchMax = max;
            }
            else if (key == FindCoordinatorKey)
            {
                findCoordinatorMax = max;
            }
        }
        return offsetFetchMax >= OffsetFetchVersion && findCoordinatorMax >= FindCoordinatorVersion;
    }

    private async Task<Dictionary<(string Host, int Port), List<string>>> FindCoordinatorsAsync(WireConnection connection, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, int), List<string>>();
        foreach (var chunk in groups.Chunk(KeysPerFindCoordinator))
        {
            var reader = await WithTimeout(ct => connection.SendAsync(FindCoordinatorKey, FindCoordinatorVersion, flexible: true, w =>
            {
                w.Int8(0); // key type: group
                w.CompactArrayLength(chunk.Length);
                foreach (var group in chunk)
                {
                    w.CompactString(group);
                }
                w.EmptyTaggedFields();
            }, ct), cancellationToken);
            reader.Int32(); // throttle
            var count = reader.CompactArrayLength();
            for (var i = 0; i < count; i++)
            {
                var key = reader.CompactString();
                reader.Int32(); // node id
                var host = reader.CompactString();
                var port = reader.Int32();
                var error = reader.Int16();
                reader.CompactNullableString();
                reader.SkipTaggedFields();
                if (error == 0)
                {
                    if (!result.TryGetValue((host, port), out var list))
                    {
                        result[(host, port)] = list = [];
                    }
                    list.Add(key);
                }
                // A group whose coordinator is not known now is left to the per-group path.
            }
        }
        return result;
    }

    private async Task FetchFromCoordinatorAsync(string host, int port, List<string> groups, ConcurrentDictionary<string, GroupOffsetsAnswer> answers, Action<int> answered, CancellationToken cancellationToken)
    {
        var batches = new ConcurrentQueue<string[]>(groups.Chunk(GroupsPerRequest));
        var workers = Enumerable.Range(0, Math.Min(ConnectionsPerCoordinator, batches.Count)).Select(async _ =>
        {
            WireConnection? connection = null;
            try
            {
                connection = await WithTimeout(ct => WireConnection.ConnectAsync(host, port, ct), cancellationToken);
                while (batches.TryDequeue(out var batch))
                {
                    var reader = await WithTimeout(ct => connection.SendAsync(OffsetFetchKey, OffsetFetchVersion, flexible: true, w => WriteOffsetFetch(w, batch), ct), cancellationToken);
                    answered(ReadOffsetFetch(reader, answers));
                }
            }
            catch (Exception e) when (IsTransportFailure(e, cancellationToken))
            {
                // This connection's remaining groups stay unanswered; the per-group path reads them.
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

    /// <summary>Decodes an OffsetFetch v8 response into answers; returns how many groups it answered.</summary>
    private int ReadOffsetFetch(WireReader reader, ConcurrentDictionary<string, GroupOffsetsAnswer> answers)
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
                    if (error != 0)
                    {
                        partitionErrors.Add($"{topic}-{partition}: {KafkaErrorName(error)}");
                    }
                    else if (offset >= 0)
                    {
                        // -1 means nothing committed: absence, not a position.
                        offsets.Add(new CommittedOffset(topic, partition, offset) { LeaderEpoch = epoch >= 0 ? epoch : null, Metadata = string.IsNullOrEmpty(metadata) ? null : metadata });
                    }
                }
                reader.SkipTaggedFields();
            }
            var groupError = reader.Int16();
            reader.SkipTaggedFields();
            if (Retriable.Contains(groupError))
            {
                continue;
            }
            answered++;
            answers[group] = groupError != 0
                ? new GroupOffsetsAnswer(null, $"cannot read the committed offsets of group '{group}' on {bootstrapServers}: {KafkaErrorName(groupError)}")
                : partitionErrors.Count > 0
                    ? new GroupOffsetsAnswer(null, $"cannot read every committed offset of group '{group}' on {bootstrapServers}: {string.Join("; ", partitionErrors)}")
                    : new GroupOffsetsAnswer(offsets, null);
        }
        reader.SkipTaggedFields();
        return answered;
    }

    private static string KafkaErrorName(short code) => code switch
    {
        15 => "COORDINATOR_NOT_AVAILABLE",
        16 => "NOT_COORDINATOR",
        3 => "UNKNOWN_TOPIC_OR_PARTITION",
        25 => "UNKNOWN_MEMBER_ID",
        30 => "GROUP_AUTHORIZATION_FAILED",
        29 => "TOPIC_AUTHORIZATION_FAILED",
        69 => "GROUP_ID_NOT_FOUND",
        _ => $"Kafka error code {code}",
    };
}
