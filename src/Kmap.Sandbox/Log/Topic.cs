namespace Kmap.Sandbox.Log;

/// <summary>A topic: its id, partitions and the configs set on it (overrides of the broker defaults).</summary>
public sealed class Topic
{
    public Topic(string name, Guid topicId, short replicationFactor)
    {
        Name = name;
        TopicId = topicId;
        ReplicationFactor = replicationFactor;
    }

    public string Name { get; }
    public Guid TopicId { get; }
    public short ReplicationFactor { get; }
    public List<PartitionLog> Partitions { get; } = [];
    public Dictionary<string, string> Configs { get; } = new(StringComparer.Ordinal);
    public bool IsInternal => Name.StartsWith("__", StringComparison.Ordinal);
}
