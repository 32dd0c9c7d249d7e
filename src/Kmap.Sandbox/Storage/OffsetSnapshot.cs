using System.Text.Json;
using System.Text.Json.Serialization;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Groups;

namespace Kmap.Sandbox.Storage;

/// <summary>
/// Committed offsets of every group in <c>offsets.json</c>. Members are not kept: after a restart
/// every group is Empty with its offsets, as a Kafka group is once its consumers are gone.
/// </summary>
internal static partial class OffsetSnapshot
{
    private sealed record OffsetEntry(string Topic, int Partition, long Offset, int LeaderEpoch, string? Metadata, long CommitTimestampMs);

    private sealed record GroupEntry(string GroupId, string? ProtocolType, List<OffsetEntry> Offsets);

    [JsonSerializable(typeof(List<GroupEntry>))]
    private sealed partial class OffsetSnapshotJson : JsonSerializerContext;

    public static void Save(ClusterState cluster, string directory)
    {
        var entries = cluster.Groups.Groups.Values
            .Where(g => g.Offsets.Count > 0)
            .Select(g => new GroupEntry(g.GroupId, g.ProtocolType,
                g.Offsets.SelectMany(t => t.Value.Select(p => new OffsetEntry(t.Key, p.Key, p.Value.Offset, p.Value.LeaderEpoch, p.Value.Metadata, p.Value.CommitTimestampMs))).ToList()))
            .ToList();
        AtomicFile.Write(Path.Combine(directory, "offsets.json"), stream => JsonSerializer.Serialize(stream, entries, OffsetSnapshotJson.Default.ListGroupEntry));
    }

    public static void Load(ClusterState cluster, string directory)
    {
        var file = Path.Combine(directory, "offsets.json");
        if (!File.Exists(file))
        {
            return;
        }
        List<GroupEntry> entries;
        try
        {
            using var stream = File.OpenRead(file);
            entries = JsonSerializer.Deserialize(stream, OffsetSnapshotJson.Default.ListGroupEntry) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is damaged: {e.Message}", e);
        }
        foreach (var group in entries)
        {
            cluster.Groups.RestoreOffsets(group.GroupId, group.ProtocolType,
                group.Offsets.Select(o => new PartitionCommit(o.Topic, o.Partition, o.Offset, o.LeaderEpoch, o.Metadata, o.CommitTimestampMs)));
        }
    }
}
