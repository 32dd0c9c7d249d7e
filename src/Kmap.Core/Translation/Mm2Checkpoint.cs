using System.Buffers.Binary;
using System.Text;

namespace Kmap.Core.Translation;

/// <summary>
/// One record of MirrorMaker 2's `&lt;source&gt;.checkpoints.internal` topic on the target cluster: for a consumer
/// group and a (downstream, i.e. possibly renamed) topic partition, the upstream committed offset and its
/// translation. Encoded as MM2's Checkpoint class does with Kafka's protocol types (big-endian; STRING = int16
/// length + UTF-8): key {group STRING, topic STRING, partition INT32}; value = header {version INT16} then, for
/// version 0, {upstreamOffset INT64, offset INT64, metadata STRING}.
/// </summary>
public sealed record Mm2Checkpoint(string Group, string Topic, int Partition, long UpstreamOffset, long DownstreamOffset, string Metadata)
{
    public const short Version = 0;

    /// <summary>The checkpoints topic MM2 writes on the target for a source cluster alias.</summary>
    public static string TopicFor(string sourceAlias) => $"{sourceAlias}.checkpoints.internal";

    public static Mm2Checkpoint Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var k = key;
        var group = ReadString(ref k);
        var topic = ReadString(ref k);
        var partition = ReadInt32(ref k);
        var v = value;
        var version = ReadInt16(ref v);
        if (version != Version)
        {
            throw new FormatException($"MM2 checkpoint value version {version} is not known (only {Version})");
        }
        var upstream = ReadInt64(ref v);
        var downstream = ReadInt64(ref v);
        var metadata = ReadString(ref v);
        return new Mm2Checkpoint(group, topic, partition, upstream, downstream, metadata);
    }

    private static short ReadInt16(ref ReadOnlySpan<byte> span)
    {
        Need(span, 2);
        var value = BinaryPrimitives.ReadInt16BigEndian(span);
        span = span[2..];
        return value;
    }

    private static int ReadInt32(ref ReadOnlySpan<byte> span)
    {
        Need(span, 4);
        var value = BinaryPrimitives.ReadInt32BigEndian(span);
        span = span[4..];
        return value;
    }

    private static long ReadInt64(ref ReadOnlySpan<byte> span)
    {
        Need(span, 8);
        var value = BinaryPrimitives.ReadInt64BigEndian(span);
        span = span[8..];
        return value;
    }

    private static string ReadString(ref ReadOnlySpan<byte> span)
    {
        var length = ReadInt16(ref span);
        if (length < 0)
        {
            throw new FormatException("MM2 checkpoint: a STRING field has a negative length");
        }
        Need(span, length);
        var text = Encoding.UTF8.GetString(span[..length]);
        span = span[length..];
        return text;
    }

    private static void Need(ReadOnlySpan<byte> span, int bytes)
    {
        if (span.Length < bytes)
        {
            throw new FormatException("MM2 checkpoint record is truncated");
        }
    }
}
