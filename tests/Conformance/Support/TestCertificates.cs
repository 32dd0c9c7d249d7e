using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kmap.Conformance.Tests.Support;

/// <summary>
/// A throw-away PKI made in-process for one test: a CA, a broker certificate for 127.0.0.1/localhost
/// signed by it, and a client certificate signed by it, written as PEM files to a temp directory that
/// disposing deletes.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }
    public string CaFile => Path.Combine(Directory, "ca.pem");
    public string BrokerCertificateFile => Path.Combine(Directory, "broker.pem");
    public string BrokerKeyFile => Path.Combine(Directory, "broker.key");
    public string ClientCertificateFile => Path.Combine(Directory, "client.pem");
    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>A CA that did not sign anything here: a client trusting only it must refuse the broker.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.pem");

    public static TestCertificates Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "kmap-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var result = new TestCertificates(directory);
        var now = DateTimeOffset.UtcNow;

        using var caKey = RSA.Create(2048);
        using var ca = SelfSignedCa("CN=kmap test CA", caKey, now);
        File.WriteAllText(result.CaFile, ca.ExportCertificatePem());

        using var otherKey = RSA.Create(2048);
        using var other = SelfSignedCa("CN=kmap unrelated CA", otherKey, now);
        File.WriteAllText(result.OtherCaFile, other.ExportCertificatePem());

        Issue(ca, "CN=localhost", serverAuth: true, result.BrokerCertificateFile, result.BrokerKeyFile, now);
        Issue(ca, "CN=kmap-test-client", serverAuth: false, result.ClientCertificateFile, result.ClientKeyFile, now);
        return result;
    }

    private static X509Certificate2 SelfSignedCa(string subject, RSA key, DateTimeOffset now)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static void Issue(X509Certificate2 ca, string subject, bool serverAuth, string certificateFile, string keyFile, DateTimeOffset now)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usage = serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (serverAuth)
        {
            // Clients verify the broker's name: the sandbox advertises 127.0.0.1, some tools say localhost.
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
