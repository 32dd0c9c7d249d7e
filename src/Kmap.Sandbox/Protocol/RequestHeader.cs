namespace Kmap.Sandbox.Protocol;

/// <summary>
/// Request header v0–v2. The client id is always a classic (int16-length) nullable string, even in
/// flexible versions; flexible requests (header v2) then carry a tag buffer.
/// </summary>
public sealed record RequestHeader(ApiKey ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    public static RequestHeader Read(KafkaReader reader)
    {
        var key = (ApiKey)reader.Int16();
        var version = reader.Int16();
        var correlationId = reader.Int32();
        var wasFlexible = reader.Flexible;
        reader.Flexible = false;
        var clientId = reader.NullableString();
        reader.Flexible = wasFlexible;
        return new RequestHeader(key, version, correlationId, clientId);
    }

    public void Write(KafkaWriter writer, bool flexible)
    {
        writer.Flexible = false;
        writer.Int16((short)ApiKey);
        writer.Int16(ApiVersion);
        writer.Int32(CorrelationId);
        writer.NullableString(ClientId);
        writer.Flexible = flexible;
        writer.TaggedFields();
    }
}
