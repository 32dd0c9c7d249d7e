namespace Kmap.Kafka.Wire;

/// <summary>One group's answer to FindCoordinator: its coordinator, or Kafka's error code and message.</summary>
internal sealed record CoordinatorAnswer(string Group, WireBroker? Coordinator, short Error, string? Message)
{
    /// <summary>Why the group has no coordinator, as kmap says it: "cannot find the coordinator of group 'G' on BROKER: NAME (broker message)".</summary>
    public string Failure(WireBroker broker) =>
        $"cannot find the coordinator of group '{Group}' on {broker}: {KafkaErrorCodes.Name(Error)}{(string.IsNullOrEmpty(Message) ? "" : $" ({Message})")}";
}

/// <summary>FindCoordinator v4 (KIP-699): the coordinators of many groups in one request.</summary>
internal static class WireFindCoordinator
{
    public const short Key = 10;
    public const short Version = 4;

    /// <summary>Keys per request: Kafka sets no limit; this keeps each request and answer small.</summary>
    public const int KeysPerRequest = 1_000;

    public static async Task<List<CoordinatorAnswer>> FindAsync(WireConnection connection, IReadOnlyList<string> groups, CancellationToken cancellationToken)
    {
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

    /// <summary>
    /// The groups by their coordinators, looked up <see cref="KeysPerRequest"/> at a time; each group FindCoordinator
    /// does not place (a Kafka error: see <see cref="CoordinatorAnswer.Failure"/>) goes to <paramref name="unplaced"/>.
    /// </summary>
    public static async Task<Dictionary<WireBroker, List<string>>> ByCoordinatorAsync(WireConnection connection, IReadOnlyList<string> groups,
        Action<CoordinatorAnswer> unplaced, CancellationToken cancellationToken)
    {
        var result = new Dictionary<WireBroker, List<string>>();
        foreach (var chunk in groups.Chunk(KeysPerRequest))
        {
            foreach (var answer in await FindAsync(connection, chunk, cancellationToken))
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
