using System.Text.Encodings.Web;
using System.Text.Json;
using Kmap.Core.Model;

namespace Kmap.Core.Backup;

/// <summary>
/// The backup file format: the Go tool's layout (timestamp, cluster, consumer_groups[] with group,
/// topics: topic → [{partition, offset}], timestamp) plus additions no query of the guide trips over.
/// </summary>
public static class OffsetBackupJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Group names are printed as they are (unicode included); JSON escaping still covers quotes and controls.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // The writer's buffer goes to the stream whenever it holds this much: memory stays flat however big the backup.
    private const int FlushThreshold = 64 * 1024;

    public static string Serialize(OffsetBackup backup)
    {
        using var buffer = new MemoryStream();
        Write(buffer, backup);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Streams the backup's JSON (and a final newline) to <paramref name="stream"/>; no whole-document string.</summary>
    public static void Write(Stream stream, OffsetBackup backup)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(backup);
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            Write(json, backup);
        }
        stream.WriteByte((byte)'\n');
    }

    private static void Write(Utf8JsonWriter json, OffsetBackup backup)
    {
        json.WriteStartObject();
        json.WriteString("timestamp", Rfc3339.Format(backup.Timestamp));
        json.WriteString("cluster", backup.Cluster);
        json.WriteNumber("format_version", backup.FormatVersion);
        if (backup.ClusterId is not null)
        {
            json.WriteString("cluster_id", backup.ClusterId);
        }
        if (backup.IsRollback)
        {
            json.WriteString("kind", "rollback");
        }
        if (backup.BaseFile is not null)
        {
            json.WriteString("base_file", backup.BaseFile);
        }
        if (backup.BaseTimestamp is { } baseTime)
        {
            json.WriteString("base_timestamp", Rfc3339.Format(baseTime));
        }
        if (backup.PartitionCounts.Count > 0)
        {
            // Beside consumer_groups, not inside it: the guide's queries over consumer_groups see nothing new.
            json.WriteStartObject("partition_counts");
            foreach (var (topic, count) in backup.PartitionCounts.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(topic, count);
            }
            json.WriteEndObject();
        }
        json.WriteStartArray("consumer_groups");
        foreach (var group in InOrder(backup.ConsumerGroups, (a, b) => string.CompareOrdinal(a.Group, b.Group)))
        {
            WriteGroup(json, group);
            if (json.BytesPending >= FlushThreshold)
            {
                json.Flush();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The items sorted; a list that already is (the backup service sorts) is used as it is, without a copy.</summary>
    private static IReadOnlyList<T> InOrder<T>(IReadOnlyList<T> items, Comparison<T> compare)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (compare(items[i - 1], items[i]) > 0)
            {
                var copy = items.ToArray();
                Array.Sort(copy, compare);
                return copy;
            }
        }
        return items;
    }

    private static void WriteGroup(Utf8JsonWriter json, GroupOffsets group)
    {
        json.WriteStartObject();
        json.WriteString("group", group.Group);
        if (group.Type is not null)
        {
            // classic, consumer, streams or share: how a restore writes the group back (absent in older files: classic).
            json.WriteString("type", group.Type);
        }
        if (group.State is not null)
        {
            json.WriteString("state", group.State);
        }
        if (group.MemberCount is { } members)
        {
            json.WriteNumber("members", members);
        }
        json.WriteStartObject("topics");
        string? topic = null;
        foreach (var offset in InOrder(group.Offsets, (a, b) => a.TopicPartition.CompareTo(b.TopicPartition)))
        {
            if (!string.Equals(topic, offset.Topic, StringComparison.Ordinal))
            {
                if (topic is not null)
                {
                    json.WriteEndArray();
                }
                topic = offset.Topic;
                json.WriteStartArray(topic);
            }
            WriteOffset(json, offset);
        }
        if (topic is not null)
        {
            json.WriteEndArray();
        }
        json.WriteEndObject();
        json.WriteString("timestamp", Rfc3339.Format(group.Timestamp));
        json.WriteEndObject();
    }

    private static void WriteOffset(Utf8JsonWriter json, BackedUpOffset offset)
    {
        json.WriteStartObject();
        json.WriteNumber("partition", offset.Partition);
        json.WriteNumber("offset", offset.Offset);
        if (offset.LeaderEpoch is { } epoch)
        {
            json.WriteNumber("leader_epoch", epoch);
        }
        if (!string.IsNullOrEmpty(offset.Metadata))
        {
            json.WriteString("metadata", offset.Metadata);
        }
        if (offset.LogStartOffset is { } start)
        {
            json.WriteNumber("log_start_offset", start);
        }
        if (offset.LogEndOffset is { } end)
        {
            json.WriteNumber("log_end_offset", end);
        }
        if (offset.Lag is { } lag)
        {
            json.WriteNumber("lag", lag);
        }
        if (offset.LastConsumedTimestamp is { } last)
        {
            json.WriteString("last_consumed_timestamp", Rfc3339.FormatMillis(last));
        }
        if (offset.NextRecordTimestamp is { } next)
        {
            json.WriteString("next_record_timestamp", Rfc3339.FormatMillis(next));
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Reads the backup file <paramref name="source"/> (its text already read): any malformed, truncated or
    /// wrongly shaped content is a <see cref="BackupFormatException"/> naming the file and the position.
    /// </summary>
    public static OffsetBackup Deserialize(string text, string source) => Named(source, () => Deserialize(text));

    /// <summary>
    /// Like <see cref="Deserialize(string, string)"/> from the file's UTF-8 bytes as read from disk: no UTF-16 copy of
    /// the whole document (a 200,000-offset backup is tens of MiB).
    /// </summary>
    public static OffsetBackup Deserialize(ReadOnlyMemory<byte> utf8, string source) => Named(source, () =>
    {
        using var document = JsonDocument.Parse(utf8);
        return Read(document);
    });

    private static OffsetBackup Named(string source, Func<OffsetBackup> read)
    {
        try
        {
            return read();
        }
        catch (JsonException e) when (e is not BackupFormatException)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1}" : "the JSON";
            var what = e.Message.Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            throw new BackupFormatException($"{source}: {where}: not a valid backup file: {what}", e);
        }
        catch (BackupFormatException e)
        {
            throw new BackupFormatException($"{source}: {e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new BackupFormatException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Reads a backup written by kmap or by the Go tool (which had no additions).</summary>
    public static OffsetBackup Deserialize(string text)
    {
        using var document = JsonDocument.Parse(text);
        return Read(document);
    }

    private static OffsetBackup Read(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a backup file is a JSON object with 'timestamp', 'cluster' and 'consumer_groups'");
        }
        var timestamp = At("timestamp", () => root.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String
            ? Rfc3339.Parse(ts.GetString()!)
            : DateTimeOffset.MinValue);
        var cluster = root.TryGetProperty("cluster", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        if (!root.TryGetProperty("consumer_groups", out var groupsElement) || groupsElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("the backup has no 'consumer_groups' array");
        }
        var groups = new List<GroupOffsets>();
        var index = 0;
        foreach (var g in groupsElement.EnumerateArray())
        {
            groups.Add(At($"consumer_groups[{index++}]", () => ReadGroup(g, timestamp)));
        }
        return At("the file's header", () => new OffsetBackup(timestamp, cluster, groups)
        {
            FormatVersion = root.TryGetProperty("format_version", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0,
            ClusterId = root.TryGetProperty("cluster_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            IsRollback = root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "rollback",
            BaseFile = root.TryGetProperty("base_file", out var bf) && bf.ValueKind == JsonValueKind.String ? bf.GetString() : null,
            BaseTimestamp = OptionalTime(root, "base_timestamp"),
            PartitionCounts = ReadPartitionCounts(root),
        });
    }

    /// <summary>Runs one step of reading; a field of the wrong type or range there becomes an error naming <paramref name="path"/>.</summary>
    private static T At<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (BackupFormatException e)
        {
            throw new BackupFormatException($"{path}.{e.Message}", e);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            var what = e is KeyNotFoundException ? "a required field is missing ('partition' and 'offset' are)" : e.Message;
            throw new BackupFormatException($"{path}: {what}", e);
        }
    }

    /// <summary>partition_counts: topic → partitions on the source; absent in older files and the Go tool's (then empty).</summary>
    private static Dictionary<string, int> ReadPartitionCounts(JsonElement root)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("partition_counts", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var topic in element.EnumerateObject())
            {
                if (topic.Value.ValueKind == JsonValueKind.Number && topic.Value.TryGetInt32(out var count) && count > 0)
                {
                    counts[topic.Name] = count;
                }
            }
        }
        return counts;
    }

    private static GroupOffsets ReadGroup(JsonElement g, DateTimeOffset fileTimestamp)
    {
        var name = g.TryGetProperty("group", out var n) && n.ValueKind == JsonValueKind.String
            ? n.GetString()!
            : throw new FormatException("a consumer group entry has no 'group' name");
        var offsets = new List<BackedUpOffset>();
        if (g.TryGetProperty("topics", out var topics) && topics.ValueKind == JsonValueKind.Object)
        {
            foreach (var topic in topics.EnumerateObject())
            {
                if (topic.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new BackupFormatException($"topics.{topic.Name}: a topic's partitions are an array, not {topic.Value.ValueKind}");
                }
                var entry = 0;
                foreach (var p in topic.Value.EnumerateArray())
                {
                    offsets.Add(At($"topics.{topic.Name}[{entry++}]", () => new BackedUpOffset(topic.Name, p.GetProperty("partition").GetInt32(), p.GetProperty("offset").GetInt64())
                    {
                        LeaderEpoch = OptionalInt(p, "leader_epoch"),
                        Metadata = p.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null,
                        LogStartOffset = OptionalLong(p, "log_start_offset"),
                        LogEndOffset = OptionalLong(p, "log_end_offset"),
                        LastConsumedTimestamp = OptionalTime(p, "last_consumed_timestamp"),
                        NextRecordTimestamp = OptionalTime(p, "next_record_timestamp"),
                    }));
                }
            }
        }
        // The seed guide names the group's time `timestamp`; the Go tool's code wrote `captured_at`.
        var timestamp = g.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.String
            ? Rfc3339.Parse(ts.GetString()!)
            : g.TryGetProperty("captured_at", out var ca) && ca.ValueKind == JsonValueKind.String
                ? Rfc3339.Parse(ca.GetString()!)
                : fileTimestamp;
        return new GroupOffsets(name, offsets, timestamp)
        {
            State = g.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null,
            MemberCount = OptionalInt(g, "members"),
            Type = g.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? ReadType(name, type.GetString()!) : null,
        };
    }

    private static string ReadType(string group, string type) =>
        GroupType.Parse(type) ?? throw new BackupFormatException(
            $"group '{group}' has type '{type}', which kmap does not know (classic, consumer, streams or share); is the file from a newer kmap?");

    private static int? OptionalInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    private static DateTimeOffset? OptionalTime(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Rfc3339.Parse(v.GetString()!) : null;

    private static long? OptionalLong(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;
}
