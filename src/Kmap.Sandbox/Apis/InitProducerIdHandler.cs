using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>InitProducerId v0–5 (flexible from v2; v3 lets a producer bump the epoch of the id it already has; v5 is v4 again).</summary>
public sealed record InitProducerIdRequest(string? TransactionalId, int TransactionTimeoutMs, long ProducerId, short ProducerEpoch) : IKafkaMessage<InitProducerIdRequest>
{
    public static InitProducerIdRequest Read(KafkaReader reader, short version)
    {
        var transactionalId = reader.NullableString();
        var timeout = reader.Int32();
        var producerId = version >= 3 ? reader.Int64() : -1;
        var epoch = version >= 3 ? reader.Int16() : (short)-1;
        reader.TaggedFields();
        return new InitProducerIdRequest(transactionalId, timeout, producerId, epoch);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.NullableString(TransactionalId);
        writer.Int32(TransactionTimeoutMs);
        if (version >= 3)
        {
            writer.Int64(ProducerId);
            writer.Int16(ProducerEpoch);
        }
        writer.TaggedFields();
    }
}

public sealed record InitProducerIdResponse(int ThrottleTimeMs, ErrorCode ErrorCode, long ProducerId, short ProducerEpoch) : IKafkaMessage<InitProducerIdResponse>
{
    public static InitProducerIdResponse Read(KafkaReader reader, short version)
    {
        var response = new InitProducerIdResponse(reader.Int32(), (ErrorCode)reader.Int16(), reader.Int64(), reader.Int16());
        reader.TaggedFields();
        return response;
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Int16((short)ErrorCode);
        writer.Int64(ProducerId);
        writer.Int16(ProducerEpoch);
        writer.TaggedFields();
    }
}

/// <summary>
/// Gives idempotent producers a fresh id with epoch 0, or bumps the epoch of the id a v3+ client
/// already holds. Transactional ids get an id too, but the sandbox has no transaction coordinator:
/// transactions themselves (AddPartitionsToTxn, EndTxn) are not served.
/// </summary>
public sealed class InitProducerIdHandler : ApiHandler<InitProducerIdRequest, InitProducerIdResponse>
{
    public override ApiKey Key => ApiKey.InitProducerId;
    public override short MinVersion => 0;
    // v5 is v4 again (KIP-890: the client may see TRANSACTION_ABORTABLE, which the sandbox never sends).
    public override short MaxVersion => 5;
    public override short FirstFlexibleVersion => 2;

    protected override ValueTask<InitProducerIdResponse?> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        InitProducerIdResponse response;
        if (request.ProducerId >= 0 && request.ProducerEpoch >= 0 && request.ProducerEpoch < short.MaxValue - 1)
        {
            response = new InitProducerIdResponse(0, ErrorCode.None, request.ProducerId, (short)(request.ProducerEpoch + 1));
        }
        else
        {
            response = new InitProducerIdResponse(0, ErrorCode.None, context.Cluster.ProducerIds.Next(), 0);
        }
        return ValueTask.FromResult<InitProducerIdResponse?>(response);
    }
}
