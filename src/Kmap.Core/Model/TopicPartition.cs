namespace Kmap.Core.Model;

/// <summary>One partition of one topic, the unit every offset belongs to.</summary>
public readonly record struct TopicPartition(string Topic, int Partition) : IComparable<TopicPartition>
{
    public int CompareTo(TopicPartition other)
    {
        var byTopic = string.CompareOrdinal(Topic, other.Topic);
        return byTopic != 0 ? byTopic : Partition.CompareTo(other.Partition);
    }

    public override string ToString() => $"{Topic}-{Partition}";

    public static bool operator <(TopicPartition left, TopicPartition right) => left.CompareTo(right) < 0;
    public static bool operator >(TopicPartition left, TopicPartition right) => left.CompareTo(right) > 0;
    public static bool operator <=(TopicPartition left, TopicPartition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(TopicPartition left, TopicPartition right) => left.CompareTo(right) >= 0;
}
