namespace Kmap.Kafka.Wire;

/// <summary>One group's answer to FindCoordinator: its coordinator, or Kafka's error code and message.</summary>
internal sealed record CoordinatorAnswer(string Group, WireBroker? Coordinator, short Error, string? Message)
{
    /// <summary>Why the group has no coordinator, as kmap says it: "cannot find the coordinator of group 'G' on BROKER: NAME (broker message)".</summary>
    public string Failure(WireBroker broker) =>
        $"cannot find the coordinator of group '{Group}' on {broker}: {KafkaErrorCodes.Name(Error)}{(string.IsNullOrEmpty(Message) ? "" : $" ({Message})")}";
}

/// <summary>
/// FindCoordinator v4 (KIP-699, Kafka 3.0+): the coordinators of many groups in one request. A broker without v4
/// (Kafka 2.8 has v0–3) gets one request per group at its highest version, pipelined on one connection.
/// </summary>
internal static class WireFindCoordinator
{
    public const short Key = 10;
    public const short Version = 4;

    /// <summary>Keys per request: Kafka sets no limit; this keeps each request and answer small.</summary>
    public const int KeysPerRequest = 1_000;

    /// <summary>The version to send to a broker whose highest FindCoordinator version is <paramref name="brokerMax"/>; -1 when it has none.</summary>
    public static short VersionFor(short brokerMax) => Math.Min(Version, brokerMax);

    public static Task<List<CoordinatorAnswer>> FindAsync(WireConnection connection, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        FindAsync(connection, Version, groups, cancellationToken);

    public static async Task<List<CoordinatorAnswer>> FindAsync(WireConnection connection, short version, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        if (version < Version)
        {
            return await FindOneByOneAsync(connection, version, groups, cancellationToken);
        }
        var reader = await WireRetry.WithRequestTimeout(ct => connection.SendAsync(Key, Version, flexible: true, w =>
        {
            w.Int8(0); // key type: group
            w.CompactArrayLength(groups.Count);
            foreach (var group in groups)
            {
                w.CompactString(group);
            }
            w.EmptyTaggedFields();
        }, ct), cancellationToken);
        reader.Int32(); // throttle
        var count = reader.CompactArrayLength();
        var answers = new List<CoordinatorAnswer>(count);
        for (var i = 0; i < count; i++)
        {
            var key = reader.CompactString();
            var nodeId = reader.Int32();
            var host = reader.CompactString();
            var port = reader.Int32();
            var error = reader.Int16();
            var message = reader.CompactNullableString();
            reader.SkipTaggedFields();
            answers.Add(new CoordinatorAnswer(key, error == KafkaErrorCodes.None ? new WireBroker(nodeId, host, port) : null, error, message));
        }
        return answers;
    }

    /// <summary>v0–3: one group per request (v1 adds the key type and the error message, v3 is flexible), all pipelined.</summary>
    private static async Task<List<CoordinatorAnswer>> FindOneByOneAsync(WireConnection connection, short version, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
        var flexible = version >= 3;
        var bodies = groups.Select(group => (Action<WireWriter>)(w =>
        {
            if (flexible)
            {
                w.CompactString(group);
            }
            else
            {
                w.NullableString16(group);
            }
            if (version >= 1)
            {
                w.Int8(0); // key type: group
            }
            if (flexible)
            {
                w.EmptyTaggedFields();
            }
        })).ToList();
        var readers = await WireRetry.WithRequestTimeout(ct => connection.PipelineAsync(Key, version, flexible, bodies, ct), cancellationToken);
        var answers = new List<CoordinatorAnswer>(groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var reader = readers[i];
            if (version >= 1)
            {
                reader.Int32(); // throttle
            }
            var error = reader.Int16();
            var message = version >= 1 ? (flexible ? reader.CompactNullableString() : reader.NullableString16()) : null;
            var nodeId = reader.Int32();
            var host = (flexible ? reader.CompactNullableString() : reader.NullableString16()) ?? "";
            var port = reader.Int32();
            answers.Add(new CoordinatorAnswer(groups[i], error == KafkaErrorCodes.None ? new WireBroker(nodeId, host, port) : null, error, message));
        }
        return answers;
    }

    /// <summary>
    /// The groups by their coordinators, looked up <see cref="KeysPerRequest"/> at a time; each group FindCoordinator
    /// does not place (a Kafka error: see <see cref="CoordinatorAnswer.Failure"/>) goes to <paramref name="unplaced"/>.
    /// </summary>
    public static async Task<Dictionary<WireBroker, List<string>>> ByCoordinatorAsync(WireConnection connection, short version, IReadOnlyList<string> groups,
        Action<CoordinatorAnswer> unplaced, CancellationToken cancellationToken)
    {
        var result = new Dictionary<WireBroker, List<string>>();
        foreach (var chunk in groups.Chunk(KeysPerRequest))
        {
            foreach (var answer in await FindAsync(connection, version, chunk, cancellationToken))
            {
                if (answer.Coordinator is not { } coordinator)
                {
                    unplaced(answer);
                    continue;
                }
                if (!result.TryGetValue(coordinator, out var list))
                {
                    result[coordinator] = list = [];
                }
                list.Add(answer.Group);
            }
        }
        return result;
    }
}
