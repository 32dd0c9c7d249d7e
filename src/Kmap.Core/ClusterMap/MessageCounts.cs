namespace Kmap.Core.ClusterMap;

/// <summary>What "message count" means in every kmap report, said once.</summary>
public static class MessageCounts
{
    public const string Caveat =
        "Message counts are log end offset minus log start offset, summed over partitions. They can be larger than "
        + "the number of records a consumer reads: compacted topics keep offsets of removed records, and "
        + "transactional producers write commit/abort markers that take an offset each (aborted records too).";
}
