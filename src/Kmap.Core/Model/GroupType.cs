namespace Kmap.Core.Model;

/// <summary>
/// Kafka 4's group types as ListGroups v5 names them: classic (the JoinGroup protocol), consumer (KIP-848),
/// streams (KIP-1071) and share (KIP-932). Classic, consumer and streams groups keep committed offsets
/// (OffsetFetch/OffsetCommit); a share group keeps a start offset per partition (Describe/AlterShareGroupOffsets).
/// </summary>
public static class GroupType
{
    public const string Classic = "classic";
    public const string Consumer = "consumer";
    public const string Streams = "streams";
    public const string Share = "share";

    /// <summary>Kafka's name in lower case, or null for a type kmap does not know (or none given).</summary>
    public static string? Parse(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        Classic => Classic,
        Consumer => Consumer,
        Streams => Streams,
        Share => Share,
        _ => null,
    };

    /// <summary>A group without a type (older brokers, older backup files) is a classic group.</summary>
    public static string OrClassic(string? type) => Parse(type) ?? Classic;

    public static bool IsShare(string? type) => Parse(type) == Share;
}
