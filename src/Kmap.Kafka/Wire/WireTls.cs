using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Kmap.Core.Config;

namespace Kmap.Kafka.Wire;

/// <summary>
/// The client side of TLS for kmap's own connections (the hand-written requests and DescribeLogDirs): the
/// broker's certificate chain is checked against the system store or the given CA, and its host name against the
/// address kmap dialled, unless ssl.endpoint.identification.algorithm is empty; a client certificate and key give
/// mTLS; -tls-skip-verify accepts any certificate (the CLI warns loudly about it).
/// </summary>
internal static class WireTls
{
    public static async Task<Stream> StartAsync(Stream inner, string host, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var trusted = new X509Certificate2Collection();
        if (settings.TlsCaFile is not null)
        {
            trusted.ImportFromPemFile(settings.TlsCaFile);
        }
        if (settings.TlsCaPem is not null)
        {
            trusted.ImportFromPem(settings.TlsCaPem);
        }
        var clientCertificates = new X509CertificateCollection();
        if (settings.TlsCertFile is not null && settings.TlsKeyFile is not null)
        {
            clientCertificates.Add(X509Certificate2.CreateFromPemFile(settings.TlsCertFile, settings.TlsKeyFile));
        }
        else if (settings.TlsCertPem is not null && settings.TlsKeyPem is not null)
        {
            clientCertificates.Add(X509Certificate2.CreateFromPem(settings.TlsCertPem, settings.TlsKeyPem));
        }
        var tls = new SslStream(inner, leaveInnerStreamOpen: false, (_, certificate, _, errors) => Validate(certificate, errors, trusted, settings));
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ClientCertificates = clientCertificates,
            }, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
        return tls;
    }

    private static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted, ConnectionSettings settings)
    {
        if (settings.TlsSkipVerify)
        {
            return true;
        }
        if (!settings.TlsVerifyHostname)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }
        if (certificate is null || trusted.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }
        // The chain failed against the system store: check it against the CA the user gave instead.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
