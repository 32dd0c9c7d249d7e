namespace Kmap.Sandbox.Protocol;

/// <summary>
/// A request or response body that can be read and written at a given version. Both directions
/// exist for every message so that property tests can round-trip them and clients-in-tests can be written.
/// </summary>
public interface IKafkaMessage<TSelf> where TSelf : IKafkaMessage<TSelf>
{
    static abstract TSelf Read(KafkaReader reader, short version);
    void Write(KafkaWriter writer, short version);
}
