namespace Kmap.Core.Model;

/// <summary>The range of a partition's log: first offset still stored and the high watermark (next offset to be written).</summary>
public sealed record LogOffsets(long LogStartOffset, long LogEndOffset);
