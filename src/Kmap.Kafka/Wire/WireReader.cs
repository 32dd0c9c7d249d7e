using System.Buffers.Binary;
using System.Text;

namespace Kmap.Kafka.Wire;

/// <summary>Reads the responses kmap decodes by hand; any overrun is a malformed answer, not a crash.</summary>
internal sealed class WireReader(byte[] buffer)
{
    private int _position;

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > buffer.Length)
        {
            throw new FormatException($"truncated Kafka response: wanted {count} bytes at {_position} of {buffer.Length}");
        }
        var span = buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    public sbyte Int8() => (sbyte)Take(1)[0];

    public bool Bool() => Take(1)[0] != 0;

    /// <summary>Skips a topic id (uuid): kmap names topics, it does not need their ids.</summary>
    public void SkipUuid() => Take(16);

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public uint UnsignedVarint()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = Take(1)[0];
            value |= (uint)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        throw new FormatException("malformed varint in Kafka response");
    }

    public string? CompactNullableString()
    {
        var length = UnsignedVarint();
        return length == 0 ? null : Encoding.UTF8.GetString(Take((int)(length - 1)));
    }

    /// <summary>A classic (int16 length) nullable string.</summary>
    public string? NullableString16()
    {
        var length = Int16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>Classic (int32 length) nullable bytes; empty for null.</summary>
    public byte[] Bytes()
    {
        var length = Int32();
        return length < 0 ? [] : Take(length).ToArray();
    }

    /// <summary>Compact nullable bytes (length + 1, 0 for null).</summary>
    public byte[]? CompactBytes()
    {
        var length = UnsignedVarint();
        return length == 0 ? null : Take((int)(length - 1)).ToArray();
    }

    /// <summary>Skips compact bytes kmap does not need, without copying them.</summary>
    public void SkipCompactBytes()
    {
        var length = UnsignedVarint();
        if (length > 0)
        {
            Take((int)(length - 1));
        }
    }

    public string CompactString() => CompactNullableString() ?? throw new FormatException("null where Kafka's schema has a string");

    /// <summary>Element count of a compact array; -1 for null. Bounded by the bytes left, so a lying count cannot size an allocation.</summary>
    public int CompactArrayLength()
    {
        var length = UnsignedVarint();
        if (length == 0)
        {
            return -1;
        }
        var count = (int)(length - 1);
        if (count > buffer.Length - _position)
        {
            throw new FormatException($"Kafka response claims {count} elements in {buffer.Length - _position} bytes");
        }
        return count;
    }

    /// <summary>Classic int32-counted array length (non-flexible versions).</summary>
    public int ArrayLength()
    {
        var count = Int32();
        if (count > buffer.Length - _position)
        {
            throw new FormatException($"Kafka response claims {count} elements in {buffer.Length - _position} bytes");
        }
        return count;
    }

    /// <summary>Skips a tag buffer: kmap knows no tagged fields in these responses.</summary>
    public void SkipTaggedFields()
    {
        var count = UnsignedVarint();
        for (var i = 0; i < count; i++)
        {
            UnsignedVarint();
            Take((int)UnsignedVarint());
        }
    }
}
