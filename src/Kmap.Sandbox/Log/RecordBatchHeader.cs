using System.Buffers.Binary;

namespace Kmap.Sandbox.Log;

/// <summary>
/// The fixed 61-byte header of a record batch v2 (magic 2), read in place. Layout:
/// baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
/// attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
/// producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records…
/// The CRC covers everything from attributes to the end of the batch.
/// </summary>
public static class RecordBatchHeader
{
    public const int BaseOffsetAt = 0;
    public const int BatchLengthAt = 8;
    public const int PartitionLeaderEpochAt = 12;
    public const int MagicAt = 16;
    public const int CrcAt = 17;
    public const int AttributesAt = 21;
    public const int LastOffsetDeltaAt = 23;
    public const int BaseTimestampAt = 27;
    public const int MaxTimestampAt = 35;
    public const int ProducerIdAt = 43;
    public const int ProducerEpochAt = 51;
    public const int BaseSequenceAt = 53;
    public const int RecordCountAt = 57;
    public const int Size = 61;

    /// <summary>Bytes before the batch length field's count starts (base offset + the length itself).</summary>
    public const int LogOverhead = 12;

    public const short CompressionMask = 0x07;
    public const short TimestampTypeLogAppendTime = 0x08;
    public const short TransactionalFlag = 0x10;
    public const short ControlFlag = 0x20;

    public static long BaseOffset(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseOffsetAt..]);
    public static int BatchLength(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BatchLengthAt..]);
    public static sbyte Magic(ReadOnlySpan<byte> batch) => (sbyte)batch[MagicAt];
    public static uint Crc(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadUInt32BigEndian(batch[CrcAt..]);
    public static short Attributes(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[AttributesAt..]);
    public static int LastOffsetDelta(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[LastOffsetDeltaAt..]);
    public static long BaseTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[BaseTimestampAt..]);
    public static long MaxTimestamp(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[MaxTimestampAt..]);
    public static long ProducerId(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt64BigEndian(batch[ProducerIdAt..]);
    public static short ProducerEpoch(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt16BigEndian(batch[ProducerEpochAt..]);
    public static int BaseSequence(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[BaseSequenceAt..]);
    public static int RecordCount(ReadOnlySpan<byte> batch) => BinaryPrimitives.ReadInt32BigEndian(batch[RecordCountAt..]);
    public static int Compression(ReadOnlySpan<byte> batch) => Attributes(batch) & CompressionMask;
    public static bool IsLogAppendTime(ReadOnlySpan<byte> batch) => (Attributes(batch) & TimestampTypeLogAppendTime) != 0;

    public static uint ComputeCrc(ReadOnlySpan<byte> batch) => Crc32C.Compute(batch[AttributesAt..]);

    public static void SetBaseOffset(Span<byte> batch, long value) => BinaryPrimitives.WriteInt64BigEndian(batch[BaseOffsetAt..], value);
    public static void SetPartitionLeaderEpoch(Span<byte> batch, int value) => BinaryPrimitives.WriteInt32BigEndian(batch[PartitionLeaderEpochAt..], value);

    /// <summary>Marks the batch LogAppendTime with the broker's clock, as Kafka does for such topics, and re-seals the CRC.</summary>
    public static void SetLogAppendTime(Span<byte> batch, long nowMs)
    {
        var attributes = (short)(Attributes(batch) | TimestampTypeLogAppendTime);
        BinaryPrimitives.WriteInt16BigEndian(batch[AttributesAt..], attributes);
        BinaryPrimitives.WriteInt64BigEndian(batch[MaxTimestampAt..], nowMs);
        BinaryPrimitives.WriteUInt32BigEndian(batch[CrcAt..], ComputeCrc(batch));
    }
}
