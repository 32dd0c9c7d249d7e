namespace Kmap.Core.Config;

/// <summary>
/// Turns a Java client.properties (the file given to Kafka's tools with --command-config) into
/// connection settings. Supported keys are listed in docs/CONSUMER_OFFSETS.md; JKS/PKCS12 stores are
/// refused with a conversion hint because kmap's client reads PEM only.
/// </summary>
public static class ClientProperties
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        // Harmless for kmap: the tools' own settings and JVM-only details.
        "client.id", "request.timeout.ms", "default.api.timeout.ms", "retries", "retry.backoff.ms",
        "ssl.truststore.type", "ssl.keystore.type", "ssl.enabled.protocols", "ssl.protocol",
        "sasl.login.callback.handler.class", "sasl.client.callback.handler.class",
    };

    public static ConnectionSettings Apply(ConnectionSettings settings, IReadOnlyDictionary<string, string> properties, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(properties);
        ArgumentNullException.ThrowIfNull(warn);
        var result = settings;
        foreach (var (key, value) in properties)
        {
            result = key switch
            {
                "bootstrap.servers" => result with { BootstrapServers = value },
                "security.protocol" => result with { SecurityProtocol = SecurityProtocols.Parse(value) },
                "sasl.mechanism" => result with { SaslMechanism = SaslMechanisms.Normalize(value) },
                "sasl.jaas.config" => ApplyJaas(result, value),
                "sasl.username" => result with { SaslUsername = value },
                "sasl.password" => result with { SaslPassword = value },
                "ssl.truststore.location" => result with { TlsCaFile = RequirePem(key, value, properties.GetValueOrDefault("ssl.truststore.type")) },
                "ssl.ca.location" => result with { TlsCaFile = value },
                "ssl.truststore.certificates" => result with { TlsCaPem = value },
                "ssl.keystore.location" => ApplyKeystore(result, key, value, properties.GetValueOrDefault("ssl.keystore.type")),
                "ssl.certificate.location" => result with { TlsCertFile = value },
                "ssl.key.location" => result with { TlsKeyFile = value },
                "ssl.keystore.certificate.chain" => result with { TlsCertPem = value },
                "ssl.keystore.key" => result with { TlsKeyPem = value },
                "ssl.key.password" => result with { TlsKeyPassword = value },
                "ssl.endpoint.identification.algorithm" => result with { TlsVerifyHostname = value.Trim().Length > 0 },
                // A truststore/keystore password protects a JKS/PKCS12 store; PEM files need none.
                "ssl.truststore.password" or "ssl.keystore.password" => result,
                _ when Ignored.Contains(key) => result,
                _ => Warn(result, key, warn),
            };
        }
        return result;
    }

    private static ConnectionSettings Warn(ConnectionSettings settings, string key, Action<string> warn)
    {
        // A line like `sasl.passwordSECRET` (separator missing) is a key holding the secret: name only its harmless start.
        var secretAt = key.IndexOf("password", StringComparison.OrdinalIgnoreCase) is >= 0 and var p ? p : key.IndexOf("jaas", StringComparison.OrdinalIgnoreCase);
        var shown = secretAt >= 0 && key.Length > secretAt + 8 ? $"{key[..Math.Min(key.Length, secretAt + 8)]}…' (the rest hidden: it may hold a password; is '=' missing?)" : $"{key}'";
        warn($"kmap: warning: ignoring '{shown} from the command config (not supported by kmap)");
        return settings;
    }

    private static ConnectionSettings ApplyJaas(ConnectionSettings settings, string value)
    {
        var (username, password) = JaasConfig.Parse(value);
        return settings with { SaslUsername = username ?? settings.SaslUsername, SaslPassword = password ?? settings.SaslPassword };
    }

    private static ConnectionSettings ApplyKeystore(ConnectionSettings settings, string key, string location, string? type)
    {
        var file = RequirePem(key, location, type);
        // A PEM keystore holds the private key and the certificate chain in one file.
        return settings with { TlsCertFile = file, TlsKeyFile = file };
    }

    private static string RequirePem(string key, string location, string? type)
    {
        var isStoreType = type is not null && !type.Trim().Equals("PEM", StringComparison.OrdinalIgnoreCase);
        var extension = Path.GetExtension(location).ToUpperInvariant();
        if (isStoreType || extension is ".JKS" or ".P12" or ".PFX" or ".KEYSTORE" or ".TRUSTSTORE")
        {
            throw new FormatException(
                $"{key}={location}: kmap reads PEM files only, not JKS/PKCS12 stores. Convert it, e.g. "
                + "`keytool -importkeystore -srckeystore store.jks -destkeystore store.p12 -deststoretype PKCS12` then "
                + "`openssl pkcs12 -in store.p12 -out store.pem -nodes`, and point the property at the .pem file "
                + "(with ssl.truststore.type=PEM / ssl.keystore.type=PEM, which Kafka's own tools also accept).");
        }
        return location;
    }
}
