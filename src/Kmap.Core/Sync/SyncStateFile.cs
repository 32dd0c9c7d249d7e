using System.Text.Json;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Core.Sync;

/// <summary>
/// `kmap sync --state-file`: the handed-over groups and the written positions as JSON, written through a temp file and
/// a rename (a crash leaves the previous file whole).
/// </summary>
public static class SyncStateFile
{
    public const int FormatVersion = 1;

    /// <summary>The state in the file, or an empty one when the file does not exist; FormatException when it is not a state file.</summary>
    public static SyncState Load(string path)
    {
        var state = new SyncState();
        if (!File.Exists(path))
        {
            return state;
        }
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            var root = document.RootElement;
            if (!root.TryGetProperty("kind", out var kind) || kind.GetString() != "kmap-sync-state")
            {
                throw new FormatException($"{path} is not a kmap sync state file (no \"kind\": \"kmap-sync-state\"); give another --state-file");
            }
            foreach (var group in root.GetProperty("handed_over").EnumerateArray())
            {
                var name = group.GetProperty("group").GetString()!;
                state.HandedOver[name] = new HandedOverGroup(name, group.GetProperty("reason").GetString() ?? "",
                    DateTimeOffset.Parse(group.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            }
            foreach (var position in root.GetProperty("positions").EnumerateArray())
            {
                var group = position.GetProperty("group").GetString()!;
                var partition = new TopicPartition(position.GetProperty("topic").GetString()!, position.GetProperty("partition").GetInt32());
                long? written = position.TryGetProperty("written", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt64() : null;
                long? pending = position.TryGetProperty("pending", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt64() : null;
                if (!state.Positions.TryGetValue(group, out var byPartition))
                {
                    state.Positions[group] = byPartition = [];
                }
                byPartition[partition] = new WrittenPosition(written, pending);
            }
            return state;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{path}: not a readable kmap sync state file ({e.Message}); move it away to start afresh", e);
        }
    }

    public static void Save(string path, SyncState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("kind", "kmap-sync-state");
            json.WriteNumber("format_version", FormatVersion);
            json.WriteStartArray("handed_over");
            foreach (var group in state.HandedOver.Values.OrderBy(g => g.Group, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("group", group.Group);
                json.WriteString("reason", group.Reason);
                json.WriteString("at", group.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("positions");
            foreach (var (group, byPartition) in state.Positions.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                foreach (var (partition, position) in byPartition.OrderBy(p => p.Key))
                {
                    json.WriteStartObject();
                    json.WriteString("group", group);
                    json.WriteString("topic", partition.Topic);
                    json.WriteNumber("partition", partition.Partition);
                    if (position.Written is { } written)
                    {
                        json.WriteNumber("written", written);
                    }
                    if (position.Pending is { } pending)
                    {
                        json.WriteNumber("pending", pending);
                    }
                    json.WriteEndObject();
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }, null);
    }
}
