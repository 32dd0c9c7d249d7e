using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>ApiVersions v0–4 (flexible from v3; v3 adds the client software name and version; v4 is v3 again, KAFKA-17011).</summary>
public sealed record ApiVersionsRequest(string? ClientSoftwareName, string? ClientSoftwareVersion) : IKafkaMessage<ApiVersionsRequest>
{
    public static ApiVersionsRequest Read(KafkaReader reader, short version)
    {
        if (version < 3)
        {
            return new ApiVersionsRequest(null, null);
        }
        var name = reader.String();
        var softwareVersion = reader.String();
        reader.TaggedFields();
        return new ApiVersionsRequest(name, softwareVersion);
    }

    public void Write(KafkaWriter writer, short version)
    {
        if (version >= 3)
        {
            writer.String(ClientSoftwareName ?? "");
            writer.String(ClientSoftwareVersion ?? "");
            writer.TaggedFields();
        }
    }
}

public sealed record ApiVersionRange(short ApiKey, short MinVersion, short MaxVersion);

public sealed record ApiVersionsResponse(ErrorCode ErrorCode, IReadOnlyList<ApiVersionRange> ApiKeys, int ThrottleTimeMs) : IKafkaMessage<ApiVersionsResponse>
{
    public static ApiVersionsResponse Read(KafkaReader reader, short version)
    {
        var error = (ErrorCode)reader.Int16();
        var keys = reader.Array(r =>
        {
            var range = new ApiVersionRange(r.Int16(), r.Int16(), r.Int16());
            r.TaggedFields();
            return range;
        });
        var throttle = version >= 1 ? reader.Int32() : 0;
        reader.TaggedFields();
        return new ApiVersionsResponse(error, keys, throttle);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int16((short)ErrorCode);
        writer.Array(ApiKeys.ToList(), (w, k) =>
        {
            w.Int16(k.ApiKey);
            w.Int16(k.MinVersion);
            w.Int16(k.MaxVersion);
            w.TaggedFields();
        });
        if (version >= 1)
        {
            writer.Int32(ThrottleTimeMs);
        }
        writer.TaggedFields();
    }
}

public sealed class ApiVersionsHandler : ApiHandler<ApiVersionsRequest, ApiVersionsResponse>
{
    public override ApiKey Key => ApiKey.ApiVersions;
    public override short MinVersion => 0;
    public override short MaxVersion => 4;
    public override short FirstFlexibleVersion => 3;

    protected override ValueTask<ApiVersionsResponse?> HandleAsync(RequestContext context, ApiVersionsRequest request, CancellationToken cancellationToken)
    {
        return ValueTask.FromResult<ApiVersionsResponse?>(new ApiVersionsResponse(ErrorCode.None, context.Apis.Advertised, 0));
    }

    /// <summary>
    /// The v0 body for a request of a version the broker does not know: UNSUPPORTED_VERSION and, as Kafka has
    /// answered since 2.4 (KIP-511, ApiVersionsRequest.getErrorResponse), only the ApiVersions range, so the
    /// client can retry at a version the broker has.
    /// </summary>
    public static byte[] UnsupportedVersionBody(ApiRegistry apis)
    {
        var writer = new KafkaWriter();
        List<ApiVersionRange> own = apis.Range(ApiKey.ApiVersions) is { } range ? [range] : [];
        new ApiVersionsResponse(ErrorCode.UnsupportedVersion, own, 0).Write(writer, 0);
        return writer.ToArray();
    }
}
