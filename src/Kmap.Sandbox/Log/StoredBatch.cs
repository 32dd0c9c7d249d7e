namespace Kmap.Sandbox.Log;

/// <summary>
/// One record batch as it sits in the log: the bytes exactly as they will be fetched (base offset
/// already rewritten), plus what ListOffsets needs without re-parsing them.
/// </summary>
public sealed record StoredBatch(long BaseOffset, long LastOffset, long MaxTimestamp, long[] RecordTimestamps, long[] RecordOffsets, byte[] Bytes)
{
    public int RecordCount => RecordOffsets.Length;
}
