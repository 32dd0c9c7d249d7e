using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Support;

/// <summary>
/// The round-trip property: write at a version, read it back, write again — the bytes must be the same
/// and the reader must consume exactly what was written. Fields a version lacks are dropped by the
/// first write, so comparing re-encoded bytes works for every version.
/// </summary>
public static class RoundTrip
{
    public static T AssertStable<T>(T message, short version, bool flexible) where T : IKafkaMessage<T>
    {
        var first = new KafkaWriter(flexible);
        message.Write(first, version);
        var bytes = first.ToArray();
        var reader = new KafkaReader(bytes, flexible);
        var decoded = T.Read(reader, version);
        Assert.Equal(0, reader.Remaining);
        var second = new KafkaWriter(flexible);
        decoded.Write(second, version);
        Assert.Equal(bytes, second.ToArray());
        return decoded;
    }
}
