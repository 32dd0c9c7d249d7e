using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>
/// Reads the topics out of a consumer-protocol subscription (JoinGroup metadata of protocol type "consumer").
/// Every version starts with int16 version then the v0 topic array, so that prefix is all Kafka reads too.
/// </summary>
public static class ConsumerSubscription
{
    public static IReadOnlyList<string>? TryReadTopics(byte[] metadata)
    {
        try
        {
            var reader = new KafkaReader(metadata);
            reader.Int16();
            return reader.Array(r => r.String());
        }
        catch (ProtocolException)
        {
            return null;
        }
    }
}
