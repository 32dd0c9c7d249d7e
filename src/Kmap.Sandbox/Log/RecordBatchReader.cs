using System.IO.Compression;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Log;

/// <summary>One record batch of a Produce request that passed validation, still in the request's bytes.</summary>
public sealed record ValidatedBatch(ReadOnlyMemory<byte> Bytes, int LastOffsetDelta, long MaxTimestamp, long ProducerId, short ProducerEpoch, int BaseSequence)
{
    public int RecordCount => LastOffsetDelta + 1;
}

/// <summary>The outcome of validating a Produce request's records for one partition.</summary>
public sealed record BatchValidation(ErrorCode Error, string? Message, IReadOnlyList<ValidatedBatch> Batches)
{
    public static BatchValidation Fail(ErrorCode error, string message) => new(error, message, []);
}

/// <summary>
/// Parses and checks record batches v2 (magic 2) — the only format Produce v3+ may carry, and the only
/// one the clients of the matrix send at the versions the sandbox advertises. Batches stay as bytes:
/// the log keeps no per-record objects.
/// </summary>
public static class RecordBatchReader
{
    /// <summary>
    /// Checks framing, magic, CRC-32C and (for uncompressed batches) every record, as Kafka's
    /// LogValidator does. Bad CRC or broken framing → CORRUPT_MESSAGE; well-framed but invalid → INVALID_RECORD.
    /// </summary>
    public static BatchValidation Validate(ReadOnlyMemory<byte> records)
    {
        if (records.Length == 0)
        {
            return BatchValidation.Fail(ErrorCode.InvalidRecord, "Produce requests with version 3 and above must have exactly one record batch");
        }
        var batches = new List<ValidatedBatch>(1);
        var rest = records;
        while (rest.Length > 0)
        {
            var span = rest.Span;
            if (span.Length < RecordBatchHeader.LogOverhead + 5)
            {
                return BatchValidation.Fail(ErrorCode.CorruptMessage, $"truncated record batch: {span.Length} bytes left");
            }
            var magic = RecordBatchHeader.Magic(span);
            if (magic != 2)
            {
                return BatchValidation.Fail(ErrorCode.InvalidRecord, $"Produce requests with version 3 and above must have magic 2, not {magic}");
            }
            var batchLength = RecordBatchHeader.BatchLength(span);
            var total = (long)RecordBatchHeader.LogOverhead + batchLength;
            if (total < RecordBatchHeader.Size || total > span.Length)
            {
                return BatchValidation.Fail(ErrorCode.CorruptMessage, $"record batch length {batchLength} does not fit the {span.Length} bytes sent");
            }
            var batch = rest[..(int)total];
            rest = rest[(int)total..];
            var batchSpan = batch.Span;
            if (RecordBatchHeader.Crc(batchSpan) != RecordBatchHeader.ComputeCrc(batchSpan))
            {
                return BatchValidation.Fail(ErrorCode.CorruptMessage, "record batch CRC-32C does not match its contents");
            }
            var count = RecordBatchHeader.RecordCount(batchSpan);
            var lastOffsetDelta = RecordBatchHeader.LastOffsetDelta(batchSpan);
            if (count <= 0 || lastOffsetDelta != count - 1)
            {
                return BatchValidation.Fail(ErrorCode.InvalidRecord, $"record batch with {count} records and last offset delta {lastOffsetDelta}");
            }
            if ((RecordBatchHeader.Attributes(batchSpan) & RecordBatchHeader.ControlFlag) != 0)
            {
                return BatchValidation.Fail(ErrorCode.InvalidRecord, "clients may not produce control batches");
            }
            var maxTimestamp = RecordBatchHeader.MaxTimestamp(batchSpan);
            if (RecordBatchHeader.Compression(batchSpan) == 0)
            {
                // The count is the producer's claim: size the list by what the bytes can hold, not by it.
                var timestamps = new List<RecordPosition>(Math.Min(count, batchSpan.Length));
                if (!TryReadRecords(batchSpan[RecordBatchHeader.Size..], count, RecordBatchHeader.BaseTimestamp(batchSpan), timestamps, out var problem))
                {
                    return BatchValidation.Fail(ErrorCode.CorruptMessage, problem);
                }
                for (var i = 0; i < timestamps.Count; i++)
                {
                    if (timestamps[i].OffsetDelta != i)
                    {
                        return BatchValidation.Fail(ErrorCode.InvalidRecord, $"record {i} has offset delta {timestamps[i].OffsetDelta}; offsets in a batch must be consecutive from 0");
                    }
                }
                maxTimestamp = timestamps.Count == 0 ? maxTimestamp : timestamps.Max(t => t.Timestamp);
            }
            batches.Add(new ValidatedBatch(batch, lastOffsetDelta, maxTimestamp,
                RecordBatchHeader.ProducerId(batchSpan), RecordBatchHeader.ProducerEpoch(batchSpan), RecordBatchHeader.BaseSequence(batchSpan)));
        }
        return new BatchValidation(ErrorCode.None, null, batches);
    }

    /// <summary>
    /// Offset delta and timestamp of every record of a stored batch, for ListOffsets by timestamp.
    /// Uncompressed and gzip batches are read record by record. Other codecs (snappy, lz4, zstd) have no
    /// decoder in the BCL: for those the batch is reported as one position at its first offset with the batch's
    /// max timestamp, so a timestamp lookup lands on the batch's first offset — coarser than Kafka, never past
    /// the right record's batch.
    /// </summary>
    public static List<RecordPosition> RecordPositions(ReadOnlySpan<byte> batch)
    {
        var count = RecordBatchHeader.RecordCount(batch);
        var positions = new List<RecordPosition>(Math.Clamp(count, 0, batch.Length));
        var baseTimestamp = RecordBatchHeader.BaseTimestamp(batch);
        var maxTimestamp = RecordBatchHeader.MaxTimestamp(batch);
        var logAppendTime = RecordBatchHeader.IsLogAppendTime(batch);
        var compression = RecordBatchHeader.Compression(batch);
        var ok = compression switch
        {
            0 => TryReadRecords(batch[RecordBatchHeader.Size..], count, baseTimestamp, positions, out _),
            1 => TryReadRecords(Gunzip(batch[RecordBatchHeader.Size..]), count, baseTimestamp, positions, out _),
            _ => false,
        };
        if (!ok)
        {
            // One position stands for the whole batch: a lookup by time or max timestamp lands on its first offset.
            positions.Clear();
            positions.Add(new RecordPosition(0, maxTimestamp));
        }
        if (logAppendTime)
        {
            // With LogAppendTime every record's timestamp is the batch's max timestamp.
            for (var i = 0; i < positions.Count; i++)
            {
                positions[i] = positions[i] with { Timestamp = maxTimestamp };
            }
        }
        return positions;
    }

    private static byte[] Gunzip(ReadOnlySpan<byte> compressed)
    {
        try
        {
            using var input = new MemoryStream(compressed.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }

    private static bool TryReadRecords(ReadOnlySpan<byte> data, int count, long baseTimestamp, List<RecordPosition> into, out string problem)
    {
        var cursor = new SpanCursor(data);
        for (var i = 0; i < count; i++)
        {
            if (!cursor.TryVarint(out var length) || length < 0 || length > cursor.Remaining)
            {
                problem = $"record {i} has a length that does not fit the batch";
                return false;
            }
            var record = new SpanCursor(cursor.Take(length));
            if (!record.TrySkip(1) || !record.TryVarlong(out var timestampDelta) || !record.TryVarint(out var offsetDelta)
                || !record.TrySkipVarBytes(allowNull: true) || !record.TrySkipVarBytes(allowNull: true) || !record.TryVarint(out var headers) || headers < 0)
            {
                problem = $"record {i} is malformed";
                return false;
            }
            for (var h = 0; h < headers; h++)
            {
                if (!record.TrySkipVarBytes(allowNull: false) || !record.TrySkipVarBytes(allowNull: true))
                {
                    problem = $"header {h} of record {i} is malformed";
                    return false;
                }
            }
            if (record.Remaining != 0)
            {
                problem = $"record {i} has {record.Remaining} bytes after its headers";
                return false;
            }
            into.Add(new RecordPosition(offsetDelta, baseTimestamp + timestampDelta));
        }
        if (cursor.Remaining != 0)
        {
            problem = $"{cursor.Remaining} bytes after the last of {count} records";
            return false;
        }
        problem = "";
        return true;
    }

    /// <summary>A bounds-checked reader of varints over a span, for record bodies.</summary>
    private ref struct SpanCursor
    {
        private ReadOnlySpan<byte> _rest;

        public SpanCursor(ReadOnlySpan<byte> data) => _rest = data;

        public readonly int Remaining => _rest.Length;

        public ReadOnlySpan<byte> Take(int count)
        {
            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }

        public bool TrySkip(int count)
        {
            if (count < 0 || count > _rest.Length)
            {
                return false;
            }
            _rest = _rest[count..];
            return true;
        }

        public bool TryVarlong(out long value)
        {
            ulong raw = 0;
            for (var shift = 0; shift < 70; shift += 7)
            {
                if (_rest.IsEmpty)
                {
                    break;
                }
                var b = _rest[0];
                _rest = _rest[1..];
                raw |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    value = (long)(raw >> 1) ^ -(long)(raw & 1);
                    return true;
                }
            }
            value = 0;
            return false;
        }

        public bool TryVarint(out int value)
        {
            if (TryVarlong(out var wide) && wide is >= int.MinValue and <= int.MaxValue)
            {
                value = (int)wide;
                return true;
            }
            value = 0;
            return false;
        }

        public bool TrySkipVarBytes(bool allowNull)
        {
            if (!TryVarint(out var length))
            {
                return false;
            }
            if (length < 0)
            {
                return allowNull && length == -1;
            }
            return TrySkip(length);
        }
    }
}

/// <summary>Where one record sits in its batch and its timestamp.</summary>
public readonly record struct RecordPosition(int OffsetDelta, long Timestamp);
