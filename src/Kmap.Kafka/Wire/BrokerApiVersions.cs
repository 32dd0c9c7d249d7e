namespace Kmap.Kafka.Wire;

/// <summary>ApiVersions v0 (every broker answers it, and its response header is never flexible): the highest version per API key.</summary>
internal static class BrokerApiVersions
{
    private const short ApiVersionsKey = 18;

    public static async Task<IReadOnlyDictionary<short, short>> ReadAsync(WireConnection connection, CancellationToken cancellationToken)
    {
        var reader = await connection.SendAsync(ApiVersionsKey, 0, flexible: false, _ => { }, cancellationToken);
        var result = new Dictionary<short, short>();
        var error = reader.Int16();
        if (error != 0)
        {
            return result;
        }
        var count = reader.ArrayLength();
        for (var i = 0; i < count; i++)
        {
            var key = reader.Int16();
            reader.Int16();
            result[key] = reader.Int16();
        }
        return result;
    }

    public static short Max(this IReadOnlyDictionary<short, short> versions, short key) => versions.TryGetValue(key, out var v) ? v : (short)-1;
}
