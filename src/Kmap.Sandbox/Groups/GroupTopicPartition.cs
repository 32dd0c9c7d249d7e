namespace Kmap.Sandbox.Groups;

/// <summary>One partition of a topic, by name: the unit the server-side assignors hand out.</summary>
public readonly record struct GroupTopicPartition(string Topic, int Partition);
