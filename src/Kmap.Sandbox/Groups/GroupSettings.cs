namespace Kmap.Sandbox.Groups;

/// <summary>
/// Broker settings of the group coordinator. Defaults are Kafka's, except the initial rebalance delay,
/// which is short so that a sandbox (and its tests) settles quickly.
/// </summary>
public sealed record GroupSettings
{
    /// <summary>group.initial.rebalance.delay.ms (Kafka: 3000): how long a new group waits for more members.</summary>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>group.min.session.timeout.ms: smaller JoinGroup session timeouts get INVALID_SESSION_TIMEOUT.</summary>
    public int MinSessionTimeoutMs { get; init; } = 6000;

    /// <summary>group.max.session.timeout.ms.</summary>
    public int MaxSessionTimeoutMs { get; init; } = 1_800_000;

    /// <summary>How long a new member's JoinGroup may stay parked before the member is dropped (Kafka: 5 minutes).</summary>
    public int NewMemberJoinTimeoutMs { get; init; } = 300_000;

    /// <summary>offset.metadata.max.bytes: longer commit metadata gets OFFSET_METADATA_TOO_LARGE.</summary>
    public int MaxOffsetMetadataBytes { get; init; } = 4096;

    /// <summary>group.consumer.heartbeat.interval.ms: how often consumer-protocol members heartbeat.</summary>
    public int ConsumerHeartbeatIntervalMs { get; init; } = 5000;

    /// <summary>group.consumer.session.timeout.ms: a consumer-protocol member silent this long is removed.</summary>
    public int ConsumerSessionTimeoutMs { get; init; } = 45_000;
}
