using System.Globalization;
using System.Text.Json.Serialization;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// A picture of one cluster at one moment: brokers, topics with their partitions and non-default
/// configs, consumer groups with their members, committed offsets and lag. Written as the cluster JSON.
/// Every field of the Go tool's file is written under its name and meaning (its users' scripts read
/// them, see docs/cluster-map.md); where kmap had a richer value under one of those names, the richer
/// value is written beside it under a `_details` name.
/// </summary>
public sealed record ClusterMap(
    [property: JsonConverter(typeof(Rfc3339SecondsConverter))] DateTimeOffset Timestamp,
    string Cluster,
    string? ClusterId,
    int? ControllerId,
    IReadOnlyList<BrokerInfo> Brokers,
    IReadOnlyList<TopicInfo> Topics,
    IReadOnlyList<ConsumerGroupInfo> ConsumerGroups)
{
    /// <summary>Bumped when a field changes meaning; readers check it. 0: read from the Go tool's file (counts only, no offsets).</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>Read from the Go tool's file: no partitions, committed offsets or members, only their counts.</summary>
    [JsonIgnore]
    public bool IsGoToolFile => FormatVersion == GoClusterFile.GoFormatVersion;

    /// <summary>When the log end offsets were read: the moment the lags are as of (null in files of older kmaps).</summary>
    public DateTimeOffset? OffsetsReadAt { get; init; }

    /// <summary>Whole-cluster counts, recomputed from the lists (so a hand-edited file cannot disagree with itself).</summary>
    public ClusterTotals Totals => ClusterTotals.Of(this);

    /// <summary>The Go tool's `broker_addresses`: the bootstrap host:port strings as given.</summary>
    public IReadOnlyList<string> BrokerAddresses => Cluster.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // The Go tool's top-level counts (the same numbers as `totals`, under its names).
    public int TotalTopics => Topics.Count;

    public int TotalConsumerGroups => ConsumerGroups.Count;

    public int TotalPartitions => Topics.Sum(t => t.PartitionCount);

    public long TotalMessages => Topics.Sum(t => t.TotalMessages);

    public int TotalUnderReplicatedPartitions => Totals.UnderReplicatedPartitions;
}

/// <summary>One broker and how much of the cluster it carries.</summary>
public sealed record BrokerInfo(int Id, string Host, int Port, string? Rack, bool IsController)
{
    /// <summary>Replicas this broker holds.</summary>
    public int PartitionCount { get; init; }

    public int LeaderCount { get; init; }

    /// <summary>Under-replicated partitions with a replica on this broker (the Go tool's meaning: every broker of such a partition counts it).</summary>
    public int UnderReplicatedPartitions { get; init; }

    /// <summary>Under-replicated partitions this broker leads.</summary>
    public int UnderReplicatedLeaders { get; init; }

    /// <summary>The Go tool's `address`: host:port (IPv6 hosts in brackets).</summary>
    public string Address => (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The Go tool's `version`; it wrote a placeholder ("Kafka detected"), kmap reads none and says so.</summary>
    public string Version { get; init; } = UnknownVersion;

    public const string UnknownVersion = "Unknown";

    /// <summary>The Go tool's `partitions`: replicas hosted (the same number as partition_count).</summary>
    public int Partitions => PartitionCount;

    /// <summary>The Go tool's `leaders` (the same number as leader_count).</summary>
    public int Leaders => LeaderCount;
}

/// <summary>
/// A topic, its partitions and the configs that differ from the default. The Go tool's file names the
/// partition count `partitions` and the configs an object `configs`, so the lists are `partition_details`
/// and `config_details` in the file.
/// </summary>
public sealed record TopicInfo(
    string Name,
    [property: JsonPropertyName("partition_details")] IReadOnlyList<PartitionInfo> Partitions,
    [property: JsonPropertyName("config_details")] IReadOnlyList<TopicConfigEntry> Configs)
{
    public bool IsInternal { get; init; }

    /// <summary>Counts a file without partition details declares (the Go tool's); never written, null for kmap's own maps.</summary>
    [JsonIgnore]
    public DeclaredTopicCounts? Declared { get; init; }

    /// <summary>The Go tool's `partitions`: how many partitions the topic has.</summary>
    [JsonPropertyName("partitions")]
    public int PartitionCount => Declared?.Partitions ?? Partitions.Count;

    /// <summary>Replicas of the first partition (Kafka gives every partition of a topic the same count).</summary>
    public int ReplicationFactor => Declared?.ReplicationFactor ?? (Partitions.Count == 0 ? 0 : Partitions.Max(p => p.Replicas.Count));

    /// <summary>Sum of end minus start offsets; null when some partition's offsets are unknown. See MessageCounts.Caveat.</summary>
    public long? MessageCount => Declared is { } declared ? declared.Messages
        : Partitions.Any(p => p.MessageCount is null) ? null : Partitions.Sum(p => p.MessageCount!.Value);

    /// <summary>The Go tool's `total_messages`: the same sum over the partitions whose offsets are known (a number, never null).</summary>
    public long TotalMessages => Declared?.Messages ?? Partitions.Sum(p => p.MessageCount ?? 0);

    /// <summary>
    /// The Go tool's `configs`: name → value of the non-default configs, left out when there is none.
    /// Secrets (no value) are left out, as the Go tool left out empty values; `config_details` has them all.
    /// </summary>
    [JsonPropertyName("configs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? ConfigValues
    {
        get
        {
            var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var config in Configs)
            {
                if (!string.IsNullOrEmpty(config.Value))
                {
                    values[config.Name] = config.Value;
                }
            }
            return values.Count == 0 ? null : values;
        }
    }

    /// <summary>Bytes on disk of the leader replicas (one copy of the data), from DescribeLogDirs; null when not asked.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>Bytes on disk of every replica on every broker.</summary>
    public long? ReplicaBytes { get; init; }
}

/// <summary>What a file without partition details (the Go tool's) says of a topic.</summary>
public sealed record DeclaredTopicCounts(int Partitions, int ReplicationFactor, long Messages);

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

/// <summary>
/// A consumer group: state, members, committed offsets and lag. The Go tool's file names the member
/// count `members`, so the member list is `member_details` in the file.
/// </summary>
public sealed record ConsumerGroupInfo(
    string Group,
    string State,
    [property: JsonPropertyName("member_details")] IReadOnlyList<GroupMemberInfo> Members,
    IReadOnlyList<GroupOffsetInfo> Offsets)
{
    /// <summary>The Go tool's `name` (the same as `group`).</summary>
    public string Name => Group;

    /// <summary>What a file without member details (the Go tool's) says; never written, null for kmap's own maps.</summary>
    [JsonIgnore]
    public DeclaredGroupMembers? Declared { get; init; }

    /// <summary>The Go tool's `members`: how many members the group has.</summary>
    [JsonPropertyName("members")]
    public int MemberCount => Declared?.Members ?? Members.Count;

    /// <summary>The Go tool's `topics`: the topics assigned to the members, sorted.</summary>
    public IReadOnlyList<string> Topics => Declared?.Topics
        ?? Members.SelectMany(m => m.Assignment).Select(a => a.Topic).Distinct().Order(StringComparer.Ordinal).ToList();

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

    /// <summary>
    /// classic, consumer (KIP-848), streams (KIP-1071) or share (KIP-932), as ListGroups v5 says; null in files of the
    /// Go tool and of older kmap versions (classic). A share group's offsets are its start offsets.
    /// </summary>
    public string? Type { get; init; }
}

/// <summary>What a file without member details (the Go tool's) says of a group.</summary>
public sealed record DeclaredGroupMembers(int Members, IReadOnlyList<string> Topics);

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
