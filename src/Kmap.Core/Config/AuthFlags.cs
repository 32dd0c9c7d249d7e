namespace Kmap.Core.Config;

/// <summary>The authentication flags as the user typed them; null means "not given".</summary>
public sealed record AuthFlags
{
    public string? BootstrapServers { get; init; }
    public string? SecurityProtocol { get; init; }
    public string? SaslMechanism { get; init; }
    public string? SaslUsername { get; init; }
    public string? SaslPassword { get; init; }
    public string? TlsCa { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public bool TlsSkipVerify { get; init; }

    /// <summary>A Java client.properties file (Kafka's --command-config); flags override what it says.</summary>
    public string? CommandConfig { get; init; }

    /// <summary>The context named with --context; null falls back to KMAP_CONTEXT, then the config's current-context.</summary>
    public string? Context { get; init; }
}
