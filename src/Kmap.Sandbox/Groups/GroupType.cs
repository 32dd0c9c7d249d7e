namespace Kmap.Sandbox.Groups;

/// <summary>
/// The kinds of group a Kafka 4 coordinator keeps (Kafka's Group.GroupType): classic (JoinGroup/SyncGroup),
/// consumer (KIP-848, ConsumerGroupHeartbeat), share (KIP-932) and streams (KIP-1071).
/// </summary>
public enum GroupType
{
    Classic,
    Consumer,
    Share,
    Streams,
}

public static class GroupTypeNames
{
    /// <summary>The type string of ListGroups v5 ("classic", "consumer", "share", "streams").</summary>
    public static string WireName(this GroupType type) => type switch
    {
        GroupType.Consumer => "consumer",
        GroupType.Share => "share",
        GroupType.Streams => "streams",
        _ => "classic",
    };
}
