using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>FindCoordinator v0–6 (key type from v1, flexible from v3, batched keys from v4; v5 and v6 are v4 again: KIP-890 TRANSACTION_ABORTABLE, KIP-932 share key type).</summary>
public sealed record FindCoordinatorRequest(string Key, sbyte KeyType, IReadOnlyList<string> CoordinatorKeys) : IKafkaMessage<FindCoordinatorRequest>
{
    public static FindCoordinatorRequest Read(KafkaReader reader, short version)
    {
        var key = version <= 3 ? reader.String() : "";
        var keyType = version >= 1 ? reader.Int8() : (sbyte)0;
        var keys = version >= 4 ? reader.Array(r => r.String()) : [];
        reader.TaggedFields();
        return new FindCoordinatorRequest(key, keyType, keys);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version <= 3)
        {
            writer.String(Key);
        }
        if (version >= 1)
        {
            writer.Int8(KeyType);
        }
        if (version >= 4)
        {
            writer.Array(CoordinatorKeys.ToList(), (w, k) => w.String(k));
        }
        writer.TaggedFields();
    }
}

public sealed record FindCoordinatorResponseCoordinator(string Key, int NodeId, string Host, int Port, ErrorCode ErrorCode, string? ErrorMessage);

public sealed record FindCoordinatorResponse(
    int ThrottleTimeMs,
    ErrorCode ErrorCode,
    string? ErrorMessage,
    int NodeId,
    string Host,
    int Port,
    IReadOnlyList<FindCoordinatorResponseCoordinator> Coordinators) : IKafkaMessage<FindCoordinatorResponse>
{
    public static FindCoordinatorResponse Read(KafkaReader reader, short version)
    {
        var throttle = version >= 1 ? reader.Int32() : 0;
        var error = ErrorCode.None;
        string? message = null;
        var nodeId = -1;
        var host = "";
        var port = -1;
        if (version <= 3)
        {
            error = (ErrorCode)reader.Int16();
            message = version >= 1 ? reader.NullableString() : null;
            nodeId = reader.Int32();
            host = reader.String();
            port = reader.Int32();
        }
        var coordinators = version >= 4
            ? reader.Array(r =>
            {
                var c = new FindCoordinatorResponseCoordinator(r.String(), r.Int32(), r.String(), r.Int32(), (ErrorCode)r.Int16(), r.NullableString());
                r.TaggedFields();
                return c;
            })
            : [];
        reader.TaggedFields();
        return new FindCoordinatorResponse(throttle, error, message, nodeId, host, port, coordinators);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        if (version <= 3)
        {
            writer.Int16((short)ErrorCode);
            if (version >= 1)
            {
                writer.NullableString(ErrorMessage);
            }
            writer.Int32(NodeId);
            writer.String(Host);
            writer.Int32(Port);
        }
        if (version >= 4)
        {
            writer.Array(Coordinators.ToList(), (w, c) =>
            {
                w.String(c.Key);
                w.Int32(c.NodeId);
                w.String(c.Host);
                w.Int32(c.Port);
                w.Int16((short)c.ErrorCode);
                w.NullableString(c.ErrorMessage);
                w.TaggedFields();
            });
        }
        writer.TaggedFields();
    }
}

/// <summary>
/// Answers with the broker that <see cref="Cluster.ClusterState.CoordinatorFor"/> hashes the key onto, for
/// groups (key type 0) and, since the sandbox has no transaction coordinator of its own, transactions (1) too.
/// </summary>
public sealed class FindCoordinatorHandler : ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse>
{
    public override ApiKey Key => ApiKey.FindCoordinator;
    public override short MinVersion => 0;
    public override short MaxVersion => 6;
    public override short FirstFlexibleVersion => 3;

    protected override ValueTask<FindCoordinatorResponse?> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        FindCoordinatorResponseCoordinator Lookup(string key)
        {
            if (request.KeyType is not (0 or 1))
            {
                return new FindCoordinatorResponseCoordinator(key, -1, "", -1, ErrorCode.InvalidRequest, $"key type {request.KeyType} is not supported");
            }
            lock (cluster.Sync)
            {
                var broker = cluster.CoordinatorFor(key);
                // Kafka fills the message with Errors.NONE.message(), which is "NONE".
                return new FindCoordinatorResponseCoordinator(key, broker.Id, broker.Host, broker.Port, ErrorCode.None, "NONE");
            }
        }

        FindCoordinatorResponse response;
        if (context.Version >= 4)
        {
            // From v4 Kafka leaves a successful key's message at the schema default, the empty string.
            response = new FindCoordinatorResponse(0, ErrorCode.None, null, -1, "", -1, request.CoordinatorKeys
                .Select(Lookup)
                .Select(c => c.ErrorCode == ErrorCode.None ? c with { ErrorMessage = "" } : c)
                .ToList());
        }
        else
        {
            var c = Lookup(request.Key);
            response = new FindCoordinatorResponse(0, c.ErrorCode, c.ErrorMessage, c.NodeId, c.Host, c.Port, []);
        }
        return ValueTask.FromResult<FindCoordinatorResponse?>(response);
    }
}
