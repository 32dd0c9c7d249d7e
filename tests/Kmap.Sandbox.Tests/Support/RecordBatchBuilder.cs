using System.Buffers.Binary;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Support;

/// <summary>
/// Builds an uncompressed record batch v2 for raw-protocol tests, written here independently of the
/// sandbox's log code so that the two check each other.
/// </summary>
public static class RecordBatchBuilder
{
    public static byte[] Build(IReadOnlyList<(byte[]? Key, byte[]? Value, long Timestamp)> records, long producerId = -1, short producerEpoch = -1, int baseSequence = -1)
    {
        var baseTimestamp = records.Count == 0 ? 0 : records[0].Timestamp;
        var body = new KafkaWriter();
        for (var i = 0; i < records.Count; i++)
        {
            var record = new KafkaWriter();
            record.Int8(0);
            record.Varlong(records[i].Timestamp - baseTimestamp);
            record.Varint(i);
            WriteVarBytes(record, records[i].Key);
            WriteVarBytes(record, records[i].Value);
            record.Varint(0);
            body.Varint(record.WrittenCount);
            body.RawBytes(record.Written.Span);
        }
        var batch = new byte[61 + body.WrittenCount];
        var span = batch.AsSpan();
        BinaryPrimitives.WriteInt64BigEndian(span, 0);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], batch.Length - 12);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], -1);
        span[16] = 2;
        BinaryPrimitives.WriteInt16BigEndian(span[21..], 0);
        BinaryPrimitives.WriteInt32BigEndian(span[23..], records.Count - 1);
        BinaryPrimitives.WriteInt64BigEndian(span[27..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(span[35..], records.Count == 0 ? baseTimestamp : records.Max(r => r.Timestamp));
        BinaryPrimitives.WriteInt64BigEndian(span[43..], producerId);
        BinaryPrimitives.WriteInt16BigEndian(span[51..], producerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(span[53..], baseSequence);
        BinaryPrimitives.WriteInt32BigEndian(span[57..], records.Count);
        body.Written.Span.CopyTo(span[61..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[17..], Crc32C(span[21..]));
        return batch;
    }

    private static void WriteVarBytes(KafkaWriter writer, byte[]? bytes)
    {
        if (bytes is null)
        {
            writer.Varint(-1);
            return;
        }
        writer.Varint(bytes.Length);
        writer.RawBytes(bytes);
    }

    /// <summary>Bitwise CRC-32C (reflected polynomial 0x82F63B78), slow and obviously right.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return ~crc;
    }
}
