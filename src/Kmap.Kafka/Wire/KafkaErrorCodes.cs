namespace Kmap.Kafka.Wire;

/// <summary>The Kafka error codes the hand-written requests meet, by name, and which of them are worth a retry.</summary>
internal static class KafkaErrorCodes
{
    public const short None = 0;
    public const short RequestTimedOut = 7;
    public const short CoordinatorLoadInProgress = 14;
    public const short CoordinatorNotAvailable = 15;
    public const short NotCoordinator = 16;
    public const short IllegalGeneration = 22;
    public const short UnknownMemberId = 25;
    public const short RebalanceInProgress = 27;
    public const short GroupIdNotFound = 69;
    public const short NonEmptyGroup = 68;

    /// <summary>Errors that say "not now" rather than "never": the coordinator is moving, loading or slow.</summary>
    public static bool IsRetriable(short code) =>
        code is RequestTimedOut or CoordinatorLoadInProgress or CoordinatorNotAvailable or NotCoordinator;

    /// <summary>Errors after which the coordinator must be looked up again before the retry.</summary>
    public static bool NeedsNewCoordinator(short code) => code is CoordinatorNotAvailable or NotCoordinator;

    public static string Name(short code) => code switch
    {
        3 => "UNKNOWN_TOPIC_OR_PARTITION",
        RequestTimedOut => "REQUEST_TIMED_OUT",
        CoordinatorLoadInProgress => "COORDINATOR_LOAD_IN_PROGRESS",
        CoordinatorNotAvailable => "COORDINATOR_NOT_AVAILABLE",
        NotCoordinator => "NOT_COORDINATOR",
        12 => "OFFSET_METADATA_TOO_LARGE",
        IllegalGeneration => "ILLEGAL_GENERATION",
        24 => "INVALID_GROUP_ID",
        UnknownMemberId => "UNKNOWN_MEMBER_ID",
        RebalanceInProgress => "REBALANCE_IN_PROGRESS",
        28 => "INVALID_COMMIT_OFFSET_SIZE",
        29 => "TOPIC_AUTHORIZATION_FAILED",
        30 => "GROUP_AUTHORIZATION_FAILED",
        31 => "CLUSTER_AUTHORIZATION_FAILED",
        35 => "UNSUPPORTED_VERSION",
        NonEmptyGroup => "NON_EMPTY_GROUP",
        GroupIdNotFound => "GROUP_ID_NOT_FOUND",
        42 => "INVALID_REQUEST",
        124 => "STALE_MEMBER_EPOCH",
        _ => $"Kafka error code {code}",
    };
}
