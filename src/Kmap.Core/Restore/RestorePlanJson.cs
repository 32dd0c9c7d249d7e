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
        // The backup's type: how the group is written (share: AlterShareGroupOffsets; the others: OffsetCommit).
        json.WriteString("type", Model.GroupType.OrClassic(group.Type));
        if (group.State is not null)
        {
            json.WriteString("target_state", group.State);
        }
        if (group.Error is not null)
        {
            json.WriteString("error", group.Error);
        }
        var noOp = group.CanApply && group.IsNoOp && !group.HasAmbiguous;
        json.WriteBoolean("no_op", noOp);
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
            // What the group has once the plan is applied: a row not written (or of a group with nothing to write) keeps
            // the target's offset, with no change; what the translation gave is in translated_offset.
            var write = row.Write && !noOp;
            if (row.IsAmbiguous)
            {
                json.WriteBoolean("ambiguous", true);
                Optional(json, "if_translate_offset", row.IfOffset);
                Optional(json, "if_translate_timestamp", row.IfTimestamp);
            }
            else
            {
                Optional(json, "new_offset", write ? row.NewOffset : row.Current);
                Optional(json, "change", write ? row.Change : row.Current is null ? null : 0);
                if (!row.Write)
                {
                    json.WriteNumber("translated_offset", row.NewOffset);
                }
            }
            if (row.Derivation is not null)
            {
                json.WriteString("derived_by", row.Derivation);
            }
            json.WriteBoolean("write", write);
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
