using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// Topic sizes as a table (stdout) and as JSON (`-topic-sizes-output FILE`), largest first. The JSON has
/// the Go tool's fields under their names (total_size_bytes over every replica, total_size_human as it
/// formatted it, total_topics, total_partitions), then kmap's (one copy, message counts).
/// </summary>
public static class TopicSizeReport
{
    public static string Table(IReadOnlyList<TopicSize> sizes, IReadOnlyDictionary<string, long?> messages)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(messages);
        var rows = sizes.Select(s => new[]
        {
            s.Topic,
            s.Partitions.ToString(CultureInfo.InvariantCulture),
            HumanBytes.Format(s.SizeBytes),
            s.SizeBytes.ToString(CultureInfo.InvariantCulture),
            HumanBytes.Format(s.ReplicaBytes),
            s.ReplicaBytes.ToString(CultureInfo.InvariantCulture),
            messages.TryGetValue(s.Topic, out var m) && m is { } count ? count.ToString(CultureInfo.InvariantCulture) : "-",
        }).ToList();
        rows.Add(
        [
            "TOTAL",
            sizes.Sum(s => s.Partitions).ToString(CultureInfo.InvariantCulture),
            HumanBytes.Format(sizes.Sum(s => s.SizeBytes)),
            sizes.Sum(s => s.SizeBytes).ToString(CultureInfo.InvariantCulture),
            HumanBytes.Format(sizes.Sum(s => s.ReplicaBytes)),
            sizes.Sum(s => s.ReplicaBytes).ToString(CultureInfo.InvariantCulture),
            sizes.Sum(s => messages.TryGetValue(s.Topic, out var m) ? m ?? 0 : 0).ToString(CultureInfo.InvariantCulture),
        ]);
        string[] header = ["TOPIC", "PARTITIONS", "SIZE", "BYTES", "ALL-REPLICAS", "REPLICA-BYTES", "MESSAGES"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                // Names left, numbers right.
                text.Append(i == 0 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i]));
                text.Append(i == cells.Length - 1 ? "\n" : "  ");
            }
        }
        Line(header);
        foreach (var row in rows)
        {
            Line(row);
        }
        return text.ToString();
    }

    public static string Json(IReadOnlyList<TopicSize> sizes, IReadOnlyDictionary<string, long?> messages, string cluster, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(messages);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteString("cluster", cluster);
            var totalReplicaBytes = sizes.Sum(s => s.ReplicaBytes);
            json.WriteNumber("total_size_bytes", totalReplicaBytes);
            json.WriteString("total_size_human", HumanBytes.FormatGo(totalReplicaBytes));
            json.WriteNumber("total_topics", sizes.Count);
            json.WriteNumber("total_partitions", sizes.Sum(s => s.Partitions));
            json.WriteNumber("total_bytes", sizes.Sum(s => s.SizeBytes));
            json.WriteNumber("total_replica_bytes", sizes.Sum(s => s.ReplicaBytes));
            json.WriteString("message_count_note", MessageCounts.Caveat);
            json.WriteStartArray("topics");
            foreach (var size in sizes)
            {
                json.WriteStartObject();
                json.WriteString("topic", size.Topic);
                json.WriteNumber("total_size_bytes", size.ReplicaBytes);
                json.WriteString("total_size_human", HumanBytes.FormatGo(size.ReplicaBytes));
                json.WriteNumber("partitions", size.Partitions);
                json.WriteNumber("size_bytes", size.SizeBytes);
                json.WriteString("size", HumanBytes.Format(size.SizeBytes));
                json.WriteNumber("replica_bytes", size.ReplicaBytes);
                json.WriteString("replica_size", HumanBytes.Format(size.ReplicaBytes));
                if (messages.TryGetValue(size.Topic, out var m) && m is { } count)
                {
                    json.WriteNumber("message_count", count);
                }
                else
                {
                    json.WriteNull("message_count");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
