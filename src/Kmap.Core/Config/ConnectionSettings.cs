namespace Kmap.Core.Config;

/// <summary>
/// How to reach and authenticate to a cluster. Built from flags and/or a client.properties file;
/// the password is a secret: it is never printed (ToString hides it).
/// </summary>
public sealed record ConnectionSettings
{
    public const string DefaultBootstrapServers = "localhost:9092";

    public string BootstrapServers { get; init; } = DefaultBootstrapServers;
    public SecurityProtocol? SecurityProtocol { get; init; }
    public string? SaslMechanism { get; init; }
    public string? SaslUsername { get; init; }
    public string? SaslPassword { get; init; }

    /// <summary>PEM file of the CA(s) that signed the brokers' certificates.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>Inline PEM CA certificates (Kafka's ssl.truststore.certificates).</summary>
    public string? TlsCaPem { get; init; }

    /// <summary>PEM client certificate (mTLS); may be the same file as the key.</summary>
    public string? TlsCertFile { get; init; }
    public string? TlsKeyFile { get; init; }
    public string? TlsCertPem { get; init; }
    public string? TlsKeyPem { get; init; }
    public string? TlsKeyPassword { get; init; }
    public bool TlsSkipVerify { get; init; }

    /// <summary>False when ssl.endpoint.identification.algorithm is empty: certificate chain checked, host name not.</summary>
    public bool TlsVerifyHostname { get; init; } = true;

    /// <summary>The protocol to use: explicit, else implied by what was given (a username means SASL, a CA or cert means TLS).</summary>
    public SecurityProtocol EffectiveProtocol => SecurityProtocol ?? ImpliedProtocol;

    /// <summary>What the other settings imply when no protocol was named.</summary>
    public SecurityProtocol ImpliedProtocol
    {
        get
        {
            var sasl = SaslUsername is not null;
            var tls = TlsCaFile is not null || TlsCaPem is not null || TlsCertFile is not null || TlsCertPem is not null;
            return (sasl, tls) switch
            {
                (true, true) => Config.SecurityProtocol.SaslSsl,
                (true, false) => Config.SecurityProtocol.SaslPlaintext,
                (false, true) => Config.SecurityProtocol.Ssl,
                _ => Config.SecurityProtocol.Plaintext,
            };
        }
    }

    public string EffectiveSaslMechanism => SaslMechanism ?? SaslMechanisms.Plain;

    public override string ToString() =>
        $"{BootstrapServers} {SecurityProtocols.Name(EffectiveProtocol)}"
        + (SecurityProtocols.UsesSasl(EffectiveProtocol) ? $" {EffectiveSaslMechanism} user={SaslUsername} password={(SaslPassword is null ? "(none)" : "(hidden)")}" : "");
}
