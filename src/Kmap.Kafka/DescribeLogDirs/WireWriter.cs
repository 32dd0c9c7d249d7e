using System.Buffers.Binary;
using System.Text;

namespace Kmap.Kafka.DescribeLogDirs;

/// <summary>
/// The few big-endian primitives the hand-written DescribeLogDirs request needs (Confluent.Kafka has no
/// DescribeLogDirs). Deliberately separate from the sandbox's codec: the two check each other.
/// </summary>
internal sealed class WireWriter
{
    private readonly MemoryStream buffer = new();

    public WireWriter Int8(sbyte value)
    {
        buffer.WriteByte(unchecked((byte)value));
        return this;
    }

    public WireWriter Int16(short value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteInt16BigEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    public WireWriter Int32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        buffer.Write(bytes);
        return this;
    }

    /// <summary>Non-flexible STRING: int16 length then UTF-8; null is length -1.</summary>
    public WireWriter String(string? value)
    {
        if (value is null)
        {
            return Int16(-1);
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        Int16(checked((short)bytes.Length));
        buffer.Write(bytes);
        return this;
    }

    /// <summary>Non-flexible BYTES: int32 length then the bytes.</summary>
    public WireWriter Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        buffer.Write(value);
        return this;
    }

    public byte[] ToArray() => buffer.ToArray();

    /// <summary>The request with its int32 size prefix and header v1 (api key, version, correlation id, client id).</summary>
    public static byte[] Frame(short apiKey, short apiVersion, int correlationId, string clientId, byte[] body)
    {
        var header = new WireWriter().Int16(apiKey).Int16(apiVersion).Int32(correlationId).String(clientId).ToArray();
        var frame = new byte[4 + header.Length + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, header.Length + body.Length);
        header.CopyTo(frame, 4);
        body.CopyTo(frame, 4 + header.Length);
        return frame;
    }
}
