using System.Text.Encodings.Web;
using System.Text.Json;
using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>`kmap diff --format json`: what moved between two backups, for scripts; absent values are omitted.</summary>
public static class BackupDiffJson
{
    public static string Serialize(OffsetBackup a, OffsetBackup b, IReadOnlyList<OffsetChange> changes)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(changes);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp_a", Rfc3339.Format(a.Timestamp));
            json.WriteString("timestamp_b", Rfc3339.Format(b.Timestamp));
            json.WriteStartArray("changes");
            foreach (var c in changes)
            {
                json.WriteStartObject();
                json.WriteString("group", c.Group);
                json.WriteString("topic", c.Topic);
                json.WriteNumber("partition", c.Partition);
                // moved: both sides have an offset; added: only B; removed: only A.
                json.WriteString("status", c.Before is null ? "added" : c.After is null ? "removed" : "moved");
                Optional(json, "offset_a", c.Before);
                Optional(json, "offset_b", c.After);
                Optional(json, "moved", c.Moved);
                if (c.TimeBefore is { } ta)
                {
                    json.WriteString("time_a", Rfc3339.FormatMillis(ta));
                }
                if (c.TimeAfter is { } tb)
                {
                    json.WriteString("time_b", Rfc3339.FormatMillis(tb));
                }
                if (c.MovedInTime is { } d)
                {
                    json.WriteNumber("moved_in_time_ms", (long)d.TotalMilliseconds);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Optional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }
}
