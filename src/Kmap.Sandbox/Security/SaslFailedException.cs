namespace Kmap.Sandbox.Security;

/// <summary>Authentication failed on a raw-token (handshake v0) connection: Kafka closes such a connection.</summary>
public sealed class SaslFailedException : Exception
{
    public SaslFailedException(string message) : base(message) { }
    public SaslFailedException() { }
    public SaslFailedException(string message, Exception inner) : base(message, inner) { }
}
