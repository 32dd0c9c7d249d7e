namespace Kmap.Core.ClusterMap;

/// <summary>
/// A picture of one cluster at one moment: brokers, topics with their partitions and non-default
/// configs, consumer groups with their members, committed offsets and lag. Written as the cluster JSON.
/// </summary>
public sealed record ClusterMap(
    DateTimeOffset Timestamp,
    string Cluster,
    string? ClusterId,
    int? ControllerId,
    IReadOnlyList<BrokerInfo> Brokers,
    IReadOnlyList<TopicInfo> Topics,
    IReadOnlyList<ConsumerGroupInfo> ConsumerGroups)
{
    /// <summary>Bumped when a field changes meaning; readers check it.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>When the log end offsets were read: the moment the lags are as of (null in files of older kmaps).</summary>
    public DateTimeOffset? OffsetsReadAt { get; init; }

    /// <summary>Whole-cluster counts, recomputed from the lists (so a hand-edited file cannot disagree with itself).</summary>
    public ClusterTotals Totals => ClusterTotals.Of(this);
}

/// <summary>One broker and how much of the cluster it carries.</summary>
public sealed record BrokerInfo(int Id, string Host, int Port, string? Rack, bool IsController)
{
    /// <summary>Replicas this broker holds.</summary>
    public int PartitionCount { get; init; }

    public int LeaderCount { get; init; }

    /// <summary>Partitions led by this broker whose ISR is smaller than the replica list.</summary>
    public int UnderReplicatedPartitions { get; init; }
}

/// <summary>A topic, its partitions and the configs that differ from the default.</summary>
public sealed record TopicInfo(string Name, IReadOnlyList<PartitionInfo> Partitions, IReadOnlyList<TopicConfigEntry> Configs)
{
    public bool IsInternal { get; init; }

    /// <summary>Replicas of the first partition (Kafka gives every partition of a topic the same count).</summary>
    public int ReplicationFactor => Partitions.Count == 0 ? 0 : Partitions.Max(p => p.Replicas.Count);

    /// <summary>Sum of end minus start offsets; null when some partition's offsets are unknown. See MessageCounts.Caveat.</summary>
    public long? MessageCount => Partitions.Any(p => p.MessageCount is null) ? null : Partitions.Sum(p => p.MessageCount!.Value);

    /// <summary>Bytes on disk of the leader replicas (one copy of the data), from DescribeLogDirs; null when not asked.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>Bytes on disk of every replica on every broker.</summary>
    public long? ReplicaBytes { get; init; }
}

/// <summary>One partition: where it lives and the range of its log.</summary>
public sealed record PartitionInfo(int Partition, int? Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> Isr)
{
    public long? LogStartOffset { get; init; }

    public long? LogEndOffset { get; init; }

    public bool IsUnderReplicated => Isr.Count < Replicas.Count;

    public bool IsOffline => Leader is null;

    public long? MessageCount => LogStartOffset is { } s && LogEndOffset is { } e ? Math.Max(0, e - s) : null;
}

/// <summary>A topic config that is not the default, and where its value comes from (Kafka's ConfigSource).</summary>
public sealed record TopicConfigEntry(string Name, string? Value, string Source)
{
    public bool IsSensitive { get; init; }

    /// <summary>Set on the topic itself (not inherited from a broker setting): what recreating the topic must carry.</summary>
    public bool IsTopicOverride => Source == ConfigSources.DynamicTopic;
}

/// <summary>Kafka's ConfigSource names, as kmap writes them.</summary>
public static class ConfigSources
{
    public const string DynamicTopic = "DYNAMIC_TOPIC_CONFIG";
    public const string DynamicBroker = "DYNAMIC_BROKER_CONFIG";
    public const string DynamicDefaultBroker = "DYNAMIC_DEFAULT_BROKER_CONFIG";
    public const string StaticBroker = "STATIC_BROKER_CONFIG";
    public const string Default = "DEFAULT_CONFIG";
    public const string Unknown = "UNKNOWN";
}

/// <summary>A consumer group: state, members, committed offsets and lag.</summary>
public sealed record ConsumerGroupInfo(string Group, string State, IReadOnlyList<GroupMemberInfo> Members, IReadOnlyList<GroupOffsetInfo> Offsets)
{
    /// <summary>"consumer" for Kafka consumers; null when the group never had members (admin commits only).</summary>
    public string? ProtocolType { get; init; }

    /// <summary>The partition assignor the members agreed on (range, roundrobin, cooperative-sticky...).</summary>
    public string? Protocol { get; init; }

    public int? CoordinatorId { get; init; }

    public string? Error { get; init; }

    /// <summary>How the lag moved between two samples; null when only one was taken.</summary>
    public LagGrowth? LagGrowth { get; init; }

    /// <summary>Sum of the lags that are known.</summary>
    public long TotalLag => Offsets.Sum(o => o.Lag ?? 0);
}

/// <summary>A live member and the partitions assigned to it.</summary>
public sealed record GroupMemberInfo(string MemberId, string ClientId, string Host, IReadOnlyList<AssignedPartition> Assignment);

/// <summary>A partition assigned to a member.</summary>
public sealed record AssignedPartition(string Topic, int Partition);

/// <summary>A committed offset and how far behind the log end it is.</summary>
public sealed record GroupOffsetInfo(string Topic, int Partition, long Offset)
{
    public long? LogEndOffset { get; init; }

    /// <summary>Log end minus committed offset, never negative; null when the log end is unknown.</summary>
    public long? Lag => LogEndOffset is { } end ? Math.Max(0, end - Offset) : null;
}
