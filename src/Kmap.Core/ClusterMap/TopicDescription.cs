using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// `kmap topics --list/--describe` output: the text of Apache Kafka's kafka-topics.sh (so scripts that parse
/// it keep working) or JSON.
/// </summary>
public static class TopicDescription
{
    /// <summary>
    /// kafka-topics.sh --describe: a line per topic (Topic, PartitionCount, ReplicationFactor, Configs: the
    /// non-default ones as k=v,k=v), then a tab-indented line per partition (Leader, Replicas, Isr). The
    /// topic id and the eligible leader replicas are not known to kmap's client: the TopicId field is left out
    /// and Elr/LastKnownElr say N/A, as kafka-topics.sh does when the cluster does not report them.
    /// </summary>
    public static string Text(IEnumerable<TopicInfo> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var text = new StringBuilder();
        foreach (var topic in topics)
        {
            var configs = string.Join(",", topic.Configs.Select(c => $"{c.Name}={c.Value ?? "null"}"));
            text.Append(CultureInfo.InvariantCulture, $"Topic: {topic.Name}\tPartitionCount: {topic.Partitions.Count}\tReplicationFactor: {topic.ReplicationFactor}\tConfigs: {configs}\n");
            foreach (var p in topic.Partitions)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"\tTopic: {topic.Name}\tPartition: {p.Partition}\tLeader: {(p.Leader is { } leader ? leader.ToString(CultureInfo.InvariantCulture) : "none")}\tReplicas: {Ids(p.Replicas)}\tIsr: {Ids(p.Isr)}\tElr: N/A\tLastKnownElr: N/A\n");
            }
        }
        return text.ToString();
    }

    /// <summary>`{cluster, topics: [{name, is_internal, partition_count, replication_factor, configs, partitions}]}`.</summary>
    public static string Json(string cluster, IEnumerable<TopicInfo> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return Write(cluster, json =>
        {
            foreach (var topic in topics)
            {
                json.WriteStartObject();
                json.WriteString("name", topic.Name);
                json.WriteBoolean("is_internal", topic.IsInternal);
                json.WriteNumber("partition_count", topic.Partitions.Count);
                json.WriteNumber("replication_factor", topic.ReplicationFactor);
                json.WriteStartArray("configs");
                foreach (var config in topic.Configs)
                {
                    json.WriteStartObject();
                    json.WriteString("name", config.Name);
                    json.WriteString("value", config.Value);
                    json.WriteString("source", config.Source);
                    json.WriteBoolean("is_sensitive", config.IsSensitive);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartArray("partitions");
                foreach (var p in topic.Partitions)
                {
                    json.WriteStartObject();
                    json.WriteNumber("partition", p.Partition);
                    if (p.Leader is { } leader)
                    {
                        json.WriteNumber("leader", leader);
                    }
                    else
                    {
                        json.WriteNull("leader");
                    }
                    WriteIds(json, "replicas", p.Replicas);
                    WriteIds(json, "isr", p.Isr);
                    json.WriteBoolean("is_under_replicated", p.IsUnderReplicated);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
        });
    }

    /// <summary>`{cluster, topics: ["a", "b"]}` for `--list --format json`.</summary>
    public static string ListJson(string cluster, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return Write(cluster, json =>
        {
            foreach (var name in names)
            {
                json.WriteStringValue(name);
            }
        });
    }

    private static string Write(string cluster, Action<Utf8JsonWriter> topics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("cluster", cluster);
            json.WriteStartArray("topics");
            topics(json);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Ids(IReadOnlyList<int> ids) => string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static void WriteIds(Utf8JsonWriter json, string name, IReadOnlyList<int> ids)
    {
        json.WriteStartArray(name);
        foreach (var id in ids)
        {
            json.WriteNumberValue(id);
        }
        json.WriteEndArray();
    }
}
