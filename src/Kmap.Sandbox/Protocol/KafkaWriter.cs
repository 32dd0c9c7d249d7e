using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Kmap.Sandbox.Protocol;

/// <summary>Writes Kafka's wire primitives; the mirror of <see cref="KafkaReader"/>.</summary>
public sealed class KafkaWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public KafkaWriter(bool flexible = false) => Flexible = flexible;

    public bool Flexible { get; set; }
    public int WrittenCount => _buffer.WrittenCount;
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private Span<byte> Grab(int count)
    {
        var span = _buffer.GetSpan(count)[..count];
        _buffer.Advance(count);
        return span;
    }

    public void Int8(sbyte value) => Grab(1)[0] = (byte)value;
    public void Bool(bool value) => Grab(1)[0] = value ? (byte)1 : (byte)0;
    public void Int16(short value) => BinaryPrimitives.WriteInt16BigEndian(Grab(2), value);
    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Grab(2), value);
    public void Int32(int value) => BinaryPrimitives.WriteInt32BigEndian(Grab(4), value);
    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Grab(4), value);
    public void Int64(long value) => BinaryPrimitives.WriteInt64BigEndian(Grab(8), value);
    public void Float64(double value) => BinaryPrimitives.WriteDoubleBigEndian(Grab(8), value);
    public void Uuid(Guid value) => value.TryWriteBytes(Grab(16), bigEndian: true, out _);

    public void UVarint(uint value)
    {
        while (value >= 0x80)
        {
            Grab(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Grab(1)[0] = (byte)value;
    }

    public void Varint(int value) => UVarint((uint)((value << 1) ^ (value >> 31)));

    public void UVarlong(ulong value)
    {
        while (value >= 0x80)
        {
            Grab(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Grab(1)[0] = (byte)value;
    }

    public void Varlong(long value) => UVarlong((ulong)((value << 1) ^ (value >> 63)));

    private void Length(int length, bool wide)
    {
        if (Flexible)
        {
            UVarint((uint)(length + 1));
        }
        else if (wide)
        {
            Int32(length);
        }
        else
        {
            Int16((short)length);
        }
    }

    public void NullableString(string? value)
    {
        if (value is null)
        {
            Length(-1, wide: false);
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        Length(count, wide: false);
        Encoding.UTF8.GetBytes(value, Grab(count));
    }

    public void String(string value) => NullableString(value);

    public void NullableBytes(ReadOnlySpan<byte> value, bool isNull = false)
    {
        if (isNull)
        {
            Length(-1, wide: true);
            return;
        }
        Length(value.Length, wide: true);
        value.CopyTo(Grab(value.Length));
    }

    public void NullableBytes(byte[]? value) => NullableBytes(value, value is null);
    public void Bytes(ReadOnlySpan<byte> value) => NullableBytes(value);

    /// <summary>Raw bytes without a length prefix.</summary>
    public void RawBytes(ReadOnlySpan<byte> value) => value.CopyTo(Grab(value.Length));

    public void NullableArray<T>(IReadOnlyCollection<T>? items, Action<KafkaWriter, T> element)
    {
        if (items is null)
        {
            Length(-1, wide: true);
            return;
        }
        Length(items.Count, wide: true);
        foreach (var item in items)
        {
            element(this, item);
        }
    }

    public void Array<T>(IReadOnlyCollection<T> items, Action<KafkaWriter, T> element) => NullableArray(items, element);

    /// <summary>The sandbox writes no tagged fields: an empty tag buffer in flexible versions.</summary>
    public void TaggedFields()
    {
        if (Flexible)
        {
            UVarint(0);
        }
    }
}
