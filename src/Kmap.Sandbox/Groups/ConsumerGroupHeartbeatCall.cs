namespace Kmap.Sandbox.Groups;

/// <summary>One ConsumerGroupHeartbeat request, decoded. Null fields mean "unchanged since the last heartbeat".</summary>
public sealed record ConsumerGroupHeartbeatCall(
    string GroupId,
    string MemberId,
    int MemberEpoch,
    string? InstanceId,
    string? RackId,
    int RebalanceTimeoutMs,
    IReadOnlyList<string>? SubscribedTopicNames,
    string? SubscribedTopicRegex,
    string? ServerAssignor,
    IReadOnlyList<(Guid TopicId, IReadOnlyList<int> Partitions)>? OwnedPartitions,
    string ClientId,
    string ClientHost,
    short Version);

/// <summary>The coordinator's answer to a heartbeat; <see cref="Assignment"/> is null when it did not change.</summary>
public sealed record ConsumerGroupHeartbeatOutcome(
    ErrorCodeAndMessage Error,
    string? MemberId,
    int MemberEpoch,
    int HeartbeatIntervalMs,
    IReadOnlyList<(Guid TopicId, IReadOnlyList<int> Partitions)>? Assignment);
