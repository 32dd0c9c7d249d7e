using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>SaslHandshake v0–1 (never flexible). The client names its mechanism.</summary>
public sealed record SaslHandshakeRequest(string Mechanism) : IKafkaMessage<SaslHandshakeRequest>
{
    public static SaslHandshakeRequest Read(KafkaReader reader, short version) => new(reader.String());

    public void Write(KafkaWriter writer, short version) => writer.String(Mechanism);
}

public sealed record SaslHandshakeResponse(ErrorCode ErrorCode, IReadOnlyList<string> Mechanisms) : IKafkaMessage<SaslHandshakeResponse>
{
    public static SaslHandshakeResponse Read(KafkaReader reader, short version) =>
        new((ErrorCode)reader.Int16(), reader.Array(r => r.String()));

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int16((short)ErrorCode);
        writer.Array(Mechanisms.ToList(), (w, m) => w.String(m));
    }
}

/// <summary>
/// v0: the SASL tokens that follow travel as bare size-prefixed frames (kafka-python 2.0.2 does this);
/// v1: they travel inside SaslAuthenticate requests (librdkafka, kafkajs).
/// </summary>
public sealed class SaslHandshakeHandler : ApiHandler<SaslHandshakeRequest, SaslHandshakeResponse>
{
    public override ApiKey Key => ApiKey.SaslHandshake;
    public override short MinVersion => 0;
    public override short MaxVersion => 1;

    protected override ValueTask<SaslHandshakeResponse?> HandleAsync(RequestContext context, SaslHandshakeRequest request, CancellationToken cancellationToken)
    {
        var enabled = context.Cluster.Options.SaslMechanisms;
        var connection = context.Connection;
        if (enabled.Count == 0)
        {
            // A listener without SASL: Kafka's request handler answers ILLEGAL_SASL_STATE and keeps the connection.
            return ValueTask.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse(ErrorCode.IllegalSaslState, enabled));
        }
        if (connection.Authenticated || connection.SaslMechanism is not null)
        {
            // A second handshake on a SASL listener: Kafka's authenticator refuses it and drops the connection.
            connection.CloseAfterResponse = $"unexpected SaslHandshake ({request.Mechanism}) from client '{context.ClientId}'";
            return ValueTask.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse(ErrorCode.IllegalSaslState, enabled));
        }
        if (!enabled.Contains(request.Mechanism, StringComparer.Ordinal))
        {
            // Kafka sends the enabled list so the client can say what to use instead, then closes.
            connection.CloseAfterResponse = $"SASL mechanism {request.Mechanism} is not enabled (enabled: {string.Join(", ", enabled)})";
            return ValueTask.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse(ErrorCode.UnsupportedSaslMechanism, enabled));
        }
        connection.SaslMechanism = request.Mechanism;
        connection.SaslExchange = null;
        connection.RawSaslTokens = context.Version == 0;
        return ValueTask.FromResult<SaslHandshakeResponse?>(new SaslHandshakeResponse(ErrorCode.None, enabled));
    }
}
