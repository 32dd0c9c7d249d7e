namespace Kmap.Core.Config;

/// <summary>
/// One named cluster of the kmap config file: where it is and how to authenticate. The password is
/// only ever a reference (an environment variable or a file), never the secret itself.
/// </summary>
public sealed record ClusterContext
{
    public required string Name { get; init; }
    public string? Brokers { get; init; }
    public string? SecurityProtocol { get; init; }
    public string? SaslMechanism { get; init; }
    public string? SaslUsername { get; init; }

    /// <summary>Name of the environment variable holding the SASL password.</summary>
    public string? PasswordEnv { get; init; }

    /// <summary>File whose content (trailing newline removed) is the SASL password.</summary>
    public string? PasswordFile { get; init; }

    public string? TlsCa { get; init; }
    public string? TlsCert { get; init; }
    public string? TlsKey { get; init; }
    public bool TlsSkipVerify { get; init; }

    /// <summary>A Java client.properties file for everything else (Kafka's --command-config).</summary>
    public string? CommandConfig { get; init; }
}
