using System.Buffers.Binary;
using System.Text;

namespace Kmap.Kafka.DescribeLogDirs;

/// <summary>Reads the non-flexible primitives of a response; throws FormatException on truncation.</summary>
internal sealed class WireReader(byte[] data)
{
    private int position;

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public bool Bool() => Take(1)[0] != 0;

    public string? NullableString()
    {
        var length = Int16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public string String() => NullableString() ?? throw new FormatException("a null string where Kafka sends a string");

    public byte[] Bytes()
    {
        var length = Int32();
        return length < 0 ? [] : Take(length).ToArray();
    }

    /// <summary>An int32 count, checked against what is left so a lying count cannot size an allocation.</summary>
    public int ArrayLength(int minimumElementSize)
    {
        var count = Int32();
        if (count < 0)
        {
            return 0;
        }
        if ((long)count * minimumElementSize > data.Length - position)
        {
            throw new FormatException($"array of {count} elements does not fit in the {data.Length - position} bytes left");
        }
        return count;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || position + count > data.Length)
        {
            throw new FormatException($"response truncated at byte {position} (wanted {count} more of {data.Length})");
        }
        var span = new ReadOnlySpan<byte>(data, position, count);
        position += count;
        return span;
    }
}
