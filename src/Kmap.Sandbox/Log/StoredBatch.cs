namespace Kmap.Sandbox.Log;

/// <summary>
/// One record batch as it sits in the log: the bytes exactly as they will be fetched (base offset
/// already rewritten), plus the offsets and max timestamp that Fetch and ListOffsets search by.
/// Nothing per record is kept: a timestamp lookup re-reads the one batch it lands in.
/// </summary>
public sealed record StoredBatch(long BaseOffset, long LastOffset, long MaxTimestamp, byte[] Bytes)
{
    public int RecordCount => (int)(LastOffset - BaseOffset + 1);
}
