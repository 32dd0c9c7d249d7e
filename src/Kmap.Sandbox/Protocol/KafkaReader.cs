using System.Buffers.Binary;
using System.Text;

namespace Kmap.Sandbox.Protocol;

/// <summary>
/// Reads Kafka's wire primitives from one frame. <see cref="Flexible"/> switches strings, arrays and
/// bytes to their compact (unsigned varint length + 1) forms, as flexible message versions require.
/// Every read is bounds-checked: a lying length ends in <see cref="ProtocolException"/>, never in a huge allocation.
/// </summary>
public sealed class KafkaReader
{
    private readonly ReadOnlyMemory<byte> _buffer;

    public KafkaReader(ReadOnlyMemory<byte> buffer, bool flexible = false)
    {
        _buffer = buffer;
        Flexible = flexible;
    }

    public bool Flexible { get; set; }
    public int Position { get; private set; }
    public int Remaining => _buffer.Length - Position;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new ProtocolException($"frame truncated: wanted {count} bytes at position {Position}, {Remaining} left");
        }
        var span = _buffer.Span.Slice(Position, count);
        Position += count;
        return span;
    }

    public sbyte Int8() => (sbyte)Take(1)[0];
    public bool Bool() => Take(1)[0] != 0;
    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));
    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));
    public uint UInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
    public double Float64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public Guid Uuid()
    {
        var bytes = Take(16);
        return new Guid(bytes, bigEndian: true);
    }

    public uint UVarint()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new ProtocolException("varint longer than 5 bytes");
    }

    public int Varint()
    {
        var raw = UVarint();
        return (int)(raw >> 1) ^ -(int)(raw & 1);
    }

    public ulong UVarlong()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = Take(1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new ProtocolException("varlong longer than 10 bytes");
    }

    public long Varlong()
    {
        var raw = UVarlong();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>Length of a string/bytes/array: -1 means null.</summary>
    private int Length(bool wide)
    {
        if (Flexible)
        {
            return (int)UVarint() - 1;
        }
        return wide ? Int32() : Int16();
    }

    public string? NullableString()
    {
        var length = Length(wide: false);
        if (length < 0)
        {
            return null;
        }
        return Encoding.UTF8.GetString(Take(length));
    }

    public string String() =>
        NullableString() ?? throw new ProtocolException($"null string where a string is required at position {Position}");

    public byte[]? NullableBytes()
    {
        var length = Length(wide: true);
        return length < 0 ? null : Take(length).ToArray();
    }

    public byte[] Bytes() => NullableBytes() ?? [];

    /// <summary>Raw bytes without a length prefix (e.g. the tail of a frame).</summary>
    public ReadOnlyMemory<byte> RawBytes(int count)
    {
        Take(count);
        return _buffer.Slice(Position - count, count);
    }

    /// <summary>An array: null (length -1) comes back as null. Each element needs at least one byte, so the count is checked against what is left.</summary>
    public List<T>? NullableArray<T>(Func<KafkaReader, T> element)
    {
        var count = Length(wide: true);
        if (count < 0)
        {
            return null;
        }
        if (count > Remaining)
        {
            throw new ProtocolException($"array of {count} elements cannot fit in the {Remaining} bytes left");
        }
        var list = new List<T>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(element(this));
        }
        return list;
    }

    public List<T> Array<T>(Func<KafkaReader, T> element) => NullableArray(element) ?? [];

    /// <summary>Tagged fields are skipped: the sandbox understands none of the optional ones it does not name.</summary>
    public void TaggedFields()
    {
        if (!Flexible)
        {
            return;
        }
        var count = UVarint();
        for (var i = 0; i < count; i++)
        {
            UVarint();
            var size = (int)UVarint();
            Take(size);
        }
    }
}
