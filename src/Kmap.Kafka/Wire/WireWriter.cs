using System.Buffers.Binary;
using System.Text;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Big-endian Kafka primitives for the few requests kmap writes by hand (librdkafka does the rest).
/// Kept apart from the sandbox's codec on purpose: a shared codec would let a bug agree with itself.
/// </summary>
internal sealed class WireWriter
{
    private byte[] _buffer = new byte[256];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Int8(sbyte value) => Take(1)[0] = (byte)value;

    public void Int16(short value) => BinaryPrimitives.WriteInt16BigEndian(Take(2), value);

    public void Int32(int value) => BinaryPrimitives.WriteInt32BigEndian(Take(4), value);

    public void Int64(long value) => BinaryPrimitives.WriteInt64BigEndian(Take(8), value);

    public void Bool(bool value) => Take(1)[0] = value ? (byte)1 : (byte)0;

    public void UnsignedVarint(uint value)
    {
        while (value >= 0x80)
        {
            Take(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Take(1)[0] = (byte)value;
    }

    /// <summary>A classic (int16 length) nullable string, as the request header's client id is even in flexible versions.</summary>
    public void NullableString16(string? value)
    {
        if (value is null)
        {
            Int16(-1);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        Int16((short)bytes.Length);
        bytes.CopyTo(Take(bytes.Length));
    }

    /// <summary>Compact nullable string: length + 1, 0 for null.</summary>
    public void CompactNullableString(string? value)
    {
        if (value is null)
        {
            UnsignedVarint(0);
            return;
        }
        CompactString(value);
    }

    public void CompactString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        UnsignedVarint((uint)bytes.Length + 1);
        bytes.CopyTo(Take(bytes.Length));
    }

    /// <summary>Classic (int32 length) bytes, as SaslAuthenticate v0/v1 carries its token.</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        value.CopyTo(Take(value.Length));
    }

    /// <summary>Compact array length: count + 1, 0 for null.</summary>
    public void CompactArrayLength(int? count) => UnsignedVarint(count is { } n ? (uint)n + 1 : 0);

    public void EmptyTaggedFields() => UnsignedVarint(0);

    /// <summary>Patches the int32 size prefix at the start once the frame is complete.</summary>
    public void PatchSizePrefix() => BinaryPrimitives.WriteInt32BigEndian(_buffer, Length - 4);
}
