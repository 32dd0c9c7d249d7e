using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kmap.Core.ClusterMap;

namespace Kmap.Cli.Commands.ClusterMap;

/// <summary>`kmap recreate-topics --format json`: the plan and, with --execute, each topic's outcome, as one document.</summary>
internal static class RecreateTopicsJson
{
    public static string Write(string target, bool execute, IReadOnlyList<PlannedTopic> plan, IReadOnlyList<TopicCreateResult>? results)
    {
        var outcomes = (results ?? []).ToDictionary(r => r.Name, StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("target", target);
            json.WriteBoolean("execute", execute);
            json.WriteStartArray("topics");
            foreach (var p in plan)
            {
                json.WriteStartObject();
                json.WriteString("topic", p.Spec.Name);
                json.WriteNumber("partitions", p.Spec.Partitions);
                json.WriteNumber("replication_factor", p.Spec.ReplicationFactor);
                json.WriteStartObject("configs");
                foreach (var (name, value) in p.Spec.Configs)
                {
                    json.WriteString(name, value);
                }
                json.WriteEndObject();
                json.WriteString("action", p.Action switch
                {
                    TopicAction.Create => "create",
                    TopicAction.Exists => "exists",
                    _ => "exists_different",
                });
                json.WriteString("note", p.Note);
                if (outcomes.TryGetValue(p.Spec.Name, out var outcome))
                {
                    json.WriteString("result", outcome.Error is null ? "created" : outcome.AlreadyExists ? "already_exists" : "failed");
                    json.WriteString("error", outcome.AlreadyExists ? null : outcome.Error);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("to_create", plan.Count(p => p.Action == TopicAction.Create));
            if (results is not null)
            {
                json.WriteNumber("failed", results.Count(r => r.Error is not null && !r.AlreadyExists));
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
