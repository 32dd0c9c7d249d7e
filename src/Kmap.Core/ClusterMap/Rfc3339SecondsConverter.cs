using System.Text.Json;
using System.Text.Json.Serialization;
using Kmap.Core.Backup;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The cluster JSON's `timestamp` as the Go tool wrote it: RFC 3339 to the second (in UTC here). Reads any
/// RFC 3339 time, the Go tool's local offsets (+02:00) and older kmaps' fractions included.
/// </summary>
public sealed class Rfc3339SecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("timestamp is null");
        try
        {
            return Rfc3339.Parse(text);
        }
        catch (FormatException e)
        {
            throw new JsonException($"timestamp '{text}' is not an RFC 3339 time", e);
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Rfc3339.Format(value));
    }
}
