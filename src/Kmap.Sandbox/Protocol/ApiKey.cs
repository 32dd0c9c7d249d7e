namespace Kmap.Sandbox.Protocol;

/// <summary>The API keys the sandbox serves (numbers from Kafka's protocol).</summary>
public enum ApiKey : short
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    SaslHandshake = 17,
    ApiVersions = 18,
    CreateTopics = 19,
    DeleteTopics = 20,
    DeleteRecords = 21,
    InitProducerId = 22,
    DescribeConfigs = 32,
    AlterConfigs = 33,
    DescribeLogDirs = 35,
    SaslAuthenticate = 36,
    CreatePartitions = 37,
    DeleteGroups = 42,
    IncrementalAlterConfigs = 44,
    OffsetDelete = 47,
    DescribeCluster = 60,
    ConsumerGroupHeartbeat = 68,
    ConsumerGroupDescribe = 69,
    ShareGroupDescribe = 77,
    StreamsGroupDescribe = 89,
    DescribeShareGroupOffsets = 90,
    AlterShareGroupOffsets = 91,
}

public static class ApiKeyExtensions
{
    /// <summary>APIs whose success changes what a data directory keeps (topics, records, configs, committed offsets).</summary>
    public static bool ChangesPersistentState(this ApiKey key) => key is ApiKey.Produce or ApiKey.OffsetCommit or ApiKey.OffsetDelete
        or ApiKey.DeleteGroups or ApiKey.CreateTopics or ApiKey.DeleteTopics or ApiKey.DeleteRecords or ApiKey.CreatePartitions
        or ApiKey.AlterConfigs or ApiKey.IncrementalAlterConfigs or ApiKey.Metadata;
}
