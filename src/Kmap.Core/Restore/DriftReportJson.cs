using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kmap.Core.Restore;

/// <summary>`kmap verify --format json`: the drift report for scripts; absent values are omitted.</summary>
public static class DriftReportJson
{
    public static string Serialize(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("groups", report.Groups);
            json.WriteNumber("compared_partitions", report.Compared);
            json.WriteNumber("drifted_partitions", report.Drifted.Count);
            json.WriteBoolean("matches", report.Matches);
            json.WriteBoolean("unexpected_drift", report.HasUnexpectedDrift);
            json.WriteStartArray("drift");
            foreach (var row in report.Drifted)
            {
                json.WriteStartObject();
                json.WriteString("group", row.Group);
                json.WriteString("topic", row.Topic);
                json.WriteNumber("partition", row.Partition);
                json.WriteNumber("expected_offset", row.Expected);
                if (row.Current is { } current)
                {
                    json.WriteNumber("current_offset", current);
                }
                if (row.Drift is { } drift)
                {
                    json.WriteNumber("drift", drift);
                }
                if (row.Derivation is not null)
                {
                    json.WriteString("derived_by", row.Derivation);
                }
                json.WriteBoolean("group_active", row.GroupActive);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("active_groups");
            foreach (var group in report.ActiveGroups)
            {
                json.WriteStartObject();
                json.WriteString("group", group.Group);
                if (group.State is not null)
                {
                    json.WriteString("state", group.State);
                }
                json.WriteNumber("members", group.ActiveMembers ?? 0);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("errors");
            foreach (var error in report.Errors)
            {
                json.WriteStartObject();
                json.WriteString("group", error.Group);
                json.WriteString("error", error.Error);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
