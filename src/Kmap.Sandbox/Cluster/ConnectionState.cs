namespace Kmap.Sandbox.Cluster;

/// <summary>Per-connection state the SASL handlers change.</summary>
public sealed class ConnectionState
{
    /// <summary>The mechanism chosen by SaslHandshake, if any.</summary>
    public string? SaslMechanism { get; set; }

    /// <summary>Handshake v0 means the following frames are raw SASL tokens, not Kafka requests.</summary>
    public bool RawSaslTokens { get; set; }

    /// <summary>The authenticated user; null until SASL succeeds (or always, on a listener without SASL).</summary>
    public string? Principal { get; set; }

    /// <summary>True once the connection may send ordinary requests.</summary>
    public bool Authenticated { get; set; }

    /// <summary>State a multi-step mechanism (SCRAM) keeps between its messages.</summary>
    public object? SaslExchange { get; set; }

    /// <summary>
    /// Set by a handler whose response must be the last one on this connection (Kafka closes it after a
    /// failed SASL handshake or authentication); the connection sends that response, then closes.
    /// </summary>
    public string? CloseAfterResponse { get; set; }
}
