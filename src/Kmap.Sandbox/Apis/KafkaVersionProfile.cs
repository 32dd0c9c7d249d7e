using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>One API's version range in a Kafka release, as that release's broker advertises it.</summary>
public sealed record ProfileApi(short Key, string Name, short MinVersion, short MaxVersion);

/// <summary>
/// The API version ranges one Kafka release's broker advertises (ApiVersions) and accepts, for the APIs the
/// sandbox can serve. Values are transcribed from that release's
/// clients/src/main/resources/common/message/*Request.json "validVersions", without a last version marked
/// "latestVersionUnstable" (a broker advertises those only with unstable.api.versions.enable, off by default).
/// An API of the release that is not listed here stays unadvertised, as does a handler the release lacks.
/// </summary>
public sealed record KafkaVersionProfile(string Name, string Source, IReadOnlyList<ProfileApi> Apis)
{
    /// <summary>
    /// The versions the release marks "latestVersionUnstable", which its broker advertises only with
    /// unstable.api.versions.enable=true (early-access features such as Kafka 4.1's streams groups).
    /// </summary>
    public IReadOnlyList<ProfileApi> UnstableApis { get; init; } = [];

    /// <summary>This release as a broker with unstable.api.versions.enable=true: its unstable versions added to its ranges.</summary>
    public KafkaVersionProfile WithUnstableApis()
    {
        var merged = Apis.ToDictionary(a => a.Key);
        foreach (var unstable in UnstableApis)
        {
            merged[unstable.Key] = merged.TryGetValue(unstable.Key, out var stable)
                ? stable with { MaxVersion = Math.Max(stable.MaxVersion, unstable.MaxVersion) }
                : unstable;
        }
        return this with { Apis = [.. merged.Values.OrderBy(a => a.Key)], UnstableApis = [] };
    }

    /// <summary>Kafka 2.8 (tag 2.8.2), a ZooKeeper-mode broker.</summary>
    public static KafkaVersionProfile Kafka28 { get; } = new("2.8", "apache/kafka tag 2.8.2",
    [
        new(0, "Produce", 0, 9),
        new(1, "Fetch", 0, 12),
        new(2, "ListOffsets", 0, 6),
        new(3, "Metadata", 0, 11),
        new(8, "OffsetCommit", 0, 8),
        new(9, "OffsetFetch", 0, 7),
        new(10, "FindCoordinator", 0, 3),
        new(11, "JoinGroup", 0, 7),
        new(12, "Heartbeat", 0, 4),
        new(13, "LeaveGroup", 0, 4),
        new(14, "SyncGroup", 0, 5),
        new(15, "DescribeGroups", 0, 5),
        new(16, "ListGroups", 0, 4),
        new(17, "SaslHandshake", 0, 1),
        new(18, "ApiVersions", 0, 3),
        new(19, "CreateTopics", 0, 7),
        new(20, "DeleteTopics", 0, 6),
        new(21, "DeleteRecords", 0, 2),
        new(22, "InitProducerId", 0, 4),
        new(32, "DescribeConfigs", 0, 4),
        new(33, "AlterConfigs", 0, 2),
        new(35, "DescribeLogDirs", 0, 2),
        new(36, "SaslAuthenticate", 0, 2),
        new(37, "CreatePartitions", 0, 3),
        new(42, "DeleteGroups", 0, 2),
        new(44, "IncrementalAlterConfigs", 0, 1),
        new(47, "OffsetDelete", 0, 0),
        new(60, "DescribeCluster", 0, 0),
    ]);

    /// <summary>
    /// Kafka 3.9 (3.9.0: the message definitions of tag 3.9.0-rc3, identical to the 3.9 branch's last
    /// commit), a KRaft broker. ShareGroupHeartbeat and ShareGroupDescribe (76, 77) have only an unstable v0.
    /// </summary>
    public static KafkaVersionProfile Kafka39 { get; } = new("3.9", "apache/kafka 3.9.0 (tag 3.9.0-rc3)",
    [
        new(0, "Produce", 0, 11),
        new(1, "Fetch", 0, 17),
        new(2, "ListOffsets", 0, 9),
        new(3, "Metadata", 0, 12),
        new(8, "OffsetCommit", 0, 9),
        new(9, "OffsetFetch", 0, 9),
        new(10, "FindCoordinator", 0, 6),
        new(11, "JoinGroup", 0, 9),
        new(12, "Heartbeat", 0, 4),
        new(13, "LeaveGroup", 0, 5),
        new(14, "SyncGroup", 0, 5),
        new(15, "DescribeGroups", 0, 5),
        new(16, "ListGroups", 0, 5),
        new(17, "SaslHandshake", 0, 1),
        new(18, "ApiVersions", 0, 4),
        new(19, "CreateTopics", 0, 7),
        new(20, "DeleteTopics", 0, 6),
        new(21, "DeleteRecords", 0, 2),
        new(22, "InitProducerId", 0, 5),
        new(32, "DescribeConfigs", 0, 4),
        new(33, "AlterConfigs", 0, 2),
        new(35, "DescribeLogDirs", 0, 4),
        new(36, "SaslAuthenticate", 0, 2),
        new(37, "CreatePartitions", 0, 3),
        new(42, "DeleteGroups", 0, 2),
        new(44, "IncrementalAlterConfigs", 0, 1),
        new(47, "OffsetDelete", 0, 0),
        new(60, "DescribeCluster", 0, 1),
        new(68, "ConsumerGroupHeartbeat", 0, 0),
        new(69, "ConsumerGroupDescribe", 0, 0),
    ]);

    /// <summary>
    /// Kafka 4.1 (tag 4.1.0, commit 13f70256db3c), a KRaft broker: the versions KIP-896 removed are gone from
    /// the json. StreamsGroupHeartbeat and StreamsGroupDescribe (88, 89) have only an unstable v0 in 4.1.0,
    /// so a 4.1 broker does not advertise them; ShareGroupHeartbeat and ShareGroupDescribe keep only v1.
    /// </summary>
    public static KafkaVersionProfile Kafka41 { get; } = new("4.1", "apache/kafka tag 4.1.0",
    [
        new(0, "Produce", 3, 13),
        new(1, "Fetch", 4, 18),
        new(2, "ListOffsets", 1, 10),
        new(3, "Metadata", 0, 13),
        new(8, "OffsetCommit", 2, 9),
        new(9, "OffsetFetch", 1, 9),
        new(10, "FindCoordinator", 0, 6),
        new(11, "JoinGroup", 0, 9),
        new(12, "Heartbeat", 0, 4),
        new(13, "LeaveGroup", 0, 5),
        new(14, "SyncGroup", 0, 5),
        new(15, "DescribeGroups", 0, 6),
        new(16, "ListGroups", 0, 5),
        new(17, "SaslHandshake", 0, 1),
        new(18, "ApiVersions", 0, 4),
        new(19, "CreateTopics", 2, 7),
        new(20, "DeleteTopics", 1, 6),
        new(21, "DeleteRecords", 0, 2),
        new(22, "InitProducerId", 0, 5),
        new(32, "DescribeConfigs", 1, 4),
        new(33, "AlterConfigs", 0, 2),
        new(35, "DescribeLogDirs", 1, 4),
        new(36, "SaslAuthenticate", 0, 2),
        new(37, "CreatePartitions", 0, 3),
        new(42, "DeleteGroups", 0, 2),
        new(44, "IncrementalAlterConfigs", 0, 1),
        new(47, "OffsetDelete", 0, 0),
        new(60, "DescribeCluster", 0, 2),
        new(68, "ConsumerGroupHeartbeat", 0, 1),
        new(69, "ConsumerGroupDescribe", 0, 1),
        new(76, "ShareGroupHeartbeat", 1, 1),
        new(77, "ShareGroupDescribe", 1, 1),
        new(90, "DescribeShareGroupOffsets", 0, 0),
        new(91, "AlterShareGroupOffsets", 0, 0),
    ])
    {
        // Streams groups (KIP-1071) are early access in 4.1: only with unstable.api.versions.enable.
        UnstableApis =
        [
            new(88, "StreamsGroupHeartbeat", 0, 0),
            new(89, "StreamsGroupDescribe", 0, 0),
        ],
    };

    /// <summary>Every profile, oldest first.</summary>
    public static IReadOnlyList<KafkaVersionProfile> All { get; } = [Kafka28, Kafka39, Kafka41];

    /// <summary>The default: the newest release.</summary>
    public static KafkaVersionProfile Newest => All[^1];

    /// <summary>The profile named <paramref name="name"/> ("2.8", "3.9", "4.1"), or null.</summary>
    public static KafkaVersionProfile? Find(string name) => All.FirstOrDefault(p => p.Name == name.Trim());

    /// <summary>The release's range for <paramref name="key"/>, or null when the release has no such API (or none it advertises).</summary>
    public ProfileApi? Range(ApiKey key) => Apis.FirstOrDefault(a => a.Key == (short)key);
}
