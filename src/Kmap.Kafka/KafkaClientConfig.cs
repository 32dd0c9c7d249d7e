using Confluent.Kafka;
using Kmap.Core.Config;
using CoreProtocol = Kmap.Core.Config.SecurityProtocol;
using KafkaSecurityProtocol = Confluent.Kafka.SecurityProtocol;

namespace Kmap.Kafka;

/// <summary>Translates kmap's connection settings into librdkafka configuration.</summary>
public static class KafkaClientConfig
{
    public static AdminClientConfig ForAdmin(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Every Confluent.Kafka client starts from this configuration: load kmap's own librdkafka before any of them.
        BundledLibrdkafka.EnsureLoaded();
        var config = new AdminClientConfig
        {
            BootstrapServers = settings.BootstrapServers,
            ClientId = "kmap",
            SecurityProtocol = settings.EffectiveProtocol switch
            {
                CoreProtocol.Plaintext => KafkaSecurityProtocol.Plaintext,
                CoreProtocol.Ssl => KafkaSecurityProtocol.Ssl,
                CoreProtocol.SaslPlaintext => KafkaSecurityProtocol.SaslPlaintext,
                CoreProtocol.SaslSsl => KafkaSecurityProtocol.SaslSsl,
                _ => throw new ArgumentOutOfRangeException(nameof(settings)),
            },
        };
        if (SecurityProtocols.UsesSasl(settings.EffectiveProtocol))
        {
            config.SaslMechanism = settings.EffectiveSaslMechanism switch
            {
                SaslMechanisms.ScramSha256 => SaslMechanism.ScramSha256,
                SaslMechanisms.ScramSha512 => SaslMechanism.ScramSha512,
                _ => SaslMechanism.Plain,
            };
            config.SaslUsername = settings.SaslUsername;
            config.SaslPassword = settings.SaslPassword;
        }
        if (SecurityProtocols.UsesTls(settings.EffectiveProtocol))
        {
            config.SslCaLocation = settings.TlsCaFile;
            config.SslCaPem = settings.TlsCaPem;
            config.SslCertificateLocation = settings.TlsCertFile;
            config.SslKeyLocation = settings.TlsKeyFile;
            config.SslCertificatePem = settings.TlsCertPem;
            config.SslKeyPem = settings.TlsKeyPem;
            config.SslKeyPassword = settings.TlsKeyPassword;
            config.EnableSslCertificateVerification = !settings.TlsSkipVerify;
            if (settings.TlsSkipVerify || !settings.TlsVerifyHostname)
            {
                config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.None;
            }
        }
        return config;
    }
}
