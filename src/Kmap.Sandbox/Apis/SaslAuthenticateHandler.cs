using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Security;

namespace Kmap.Sandbox.Apis;

/// <summary>SaslAuthenticate v0–2 (flexible from v2): one SASL token each way, after SaslHandshake v1.</summary>
public sealed record SaslAuthenticateRequest(byte[] AuthBytes) : IKafkaMessage<SaslAuthenticateRequest>
{
    public static SaslAuthenticateRequest Read(KafkaReader reader, short version)
    {
        var bytes = reader.Bytes();
        reader.TaggedFields();
        return new SaslAuthenticateRequest(bytes);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Bytes(AuthBytes);
        writer.TaggedFields();
    }
}

public sealed record SaslAuthenticateResponse(ErrorCode ErrorCode, string? ErrorMessage, byte[] AuthBytes, long SessionLifetimeMs)
    : IKafkaMessage<SaslAuthenticateResponse>
{
    public static SaslAuthenticateResponse Read(KafkaReader reader, short version)
    {
        var error = (ErrorCode)reader.Int16();
        var message = reader.NullableString();
        var bytes = reader.Bytes();
        var lifetime = version >= 1 ? reader.Int64() : 0;
        reader.TaggedFields();
        return new SaslAuthenticateResponse(error, message, bytes, lifetime);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int16((short)ErrorCode);
        writer.NullableString(ErrorMessage);
        writer.Bytes(AuthBytes);
        if (version >= 1)
        {
            writer.Int64(SessionLifetimeMs);
        }
        writer.TaggedFields();
    }
}

/// <summary>
/// Feeds the token to the mechanism chosen by SaslHandshake. A failure is answered with
/// SASL_AUTHENTICATION_FAILED and its message, then the connection is closed, as Kafka does;
/// clients report the message instead of waiting for a broker that will never let them in.
/// </summary>
public sealed class SaslAuthenticateHandler : ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse>
{
    public override ApiKey Key => ApiKey.SaslAuthenticate;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<SaslAuthenticateResponse?> HandleAsync(RequestContext context, SaslAuthenticateRequest request, CancellationToken cancellationToken)
    {
        var connection = context.Connection;
        if (connection.SaslMechanism is null || connection.RawSaslTokens || connection.Authenticated)
        {
            const string Message = "SaslAuthenticate is only valid after a SaslHandshake v1 and before authentication completes";
            connection.CloseAfterResponse = Message;
            return ValueTask.FromResult<SaslAuthenticateResponse?>(new SaslAuthenticateResponse(ErrorCode.IllegalSaslState, Message, [], 0));
        }
        var step = SaslServer.EvaluateStep(context.Cluster, connection, request.AuthBytes);
        if (step.Error is not null)
        {
            connection.CloseAfterResponse = $"SASL {connection.SaslMechanism} authentication failed: {step.Error}";
            return ValueTask.FromResult<SaslAuthenticateResponse?>(new SaslAuthenticateResponse(ErrorCode.SaslAuthenticationFailed, step.Error, [], 0));
        }
        // Session lifetime 0: the broker never asks clients to re-authenticate (KIP-368 off).
        return ValueTask.FromResult<SaslAuthenticateResponse?>(new SaslAuthenticateResponse(ErrorCode.None, null, step.Response, 0));
    }
}
