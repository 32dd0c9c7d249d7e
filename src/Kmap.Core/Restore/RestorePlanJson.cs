using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kmap.Core.Restore;

/// <summary>The restore plan for machines (--plan-json): the same rows as the table, absent values omitted.</summary>
public static class RestorePlanJson
{
    public static string Serialize(ResetPlan plan)
    {
        using var buffer = new MemoryStream();
        Write(buffer, plan);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Streams the plan's JSON (and a final newline) to <paramref name="stream"/>; no whole-document string.</summary>
    public static void Write(Stream stream, ResetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(plan);
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("notes");
            foreach (var note in plan.Notes)
            {
                json.WriteStringValue(note);
            }
            json.WriteEndArray();
            json.WriteStartObject("topics_to_create");
            foreach (var (topic, partitions) in plan.TopicsToCreate)
            {
                json.WriteNumber(topic, partitions);
            }
            json.WriteEndObject();
            json.WriteStartArray("groups");
            foreach (var group in plan.Groups)
            {
                WriteGroup(json, group);
                if (json.BytesPending > 64 * 1024)
                {
                    // To the stream as it goes: memory stays flat however many groups the plan holds.
                    json.Flush();
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }

    private static void WriteGroup(Utf8JsonWriter json, GroupResetPlan group)
    {
        json.WriteStartObject();
        json.WriteString("group", group.Group);
        if (group.State is not null)
        {
            json.WriteString("target_state", group.State);
        }
        if (group.Error is not null)
        {
            json.WriteString("error", group.Error);
        }
        json.WriteBoolean("no_op", group.CanApply && group.IsNoOp);
        json.WriteStartArray("warnings");
        foreach (var warning in group.Warnings)
        {
            json.WriteStringValue(warning);
        }
        json.WriteEndArray();
        json.WriteStartArray("partitions");
        foreach (var row in group.Offsets)
        {
            json.WriteStartObject();
            json.WriteString("topic", row.Topic);
            json.WriteNumber("partition", row.Partition);
            Optional(json, "backup_offset", row.BackupOffset);
            Optional(json, "current_offset", row.Current);
            Optional(json, "log_start_offset", row.LogStart);
            Optional(json, "log_end_offset", row.LogEnd);
            json.WriteNumber("new_offset", row.NewOffset);
            Optional(json, "change", row.Change);
            if (row.Derivation is not null)
            {
                json.WriteString("derived_by", row.Derivation);
            }
            json.WriteBoolean("write", row.Write);
            if (row.Note is not null)
            {
                json.WriteString("note", row.Note);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }
}
