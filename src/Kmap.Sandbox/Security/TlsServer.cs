using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Kmap.Sandbox.Security;

/// <summary>
/// The TLS side of a listener: the broker certificate from PEM files and, for mTLS, a client CA that
/// every client certificate must chain to (a client without a certificate is refused).
/// </summary>
public sealed class TlsServer : IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly X509Certificate2? _clientCa;

    public TlsServer(string certificateFile, string keyFile, string? clientCaFile)
    {
        // Re-import through PKCS#12 so that SslStream on Linux can use the private key of a PEM pair.
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        _certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        _clientCa = clientCaFile is null ? null : X509CertificateLoader.LoadCertificateFromFile(clientCaFile);
    }

    public bool RequiresClientCertificate => _clientCa is not null;

    public async Task<Stream> AuthenticateAsync(Stream inner, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false, ValidateClient);
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            ClientCertificateRequired = _clientCa is not null,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        await ssl.AuthenticateAsServerAsync(options, cancellationToken);
        return ssl;
    }

    private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_clientCa is null)
        {
            return true;
        }
        if (certificate is null)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_clientCa);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return custom.Build(presented);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _clientCa?.Dispose();
    }
}
