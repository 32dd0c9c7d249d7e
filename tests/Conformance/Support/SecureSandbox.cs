using Kmap.Sandbox;

namespace Kmap.Conformance.Tests.Support;

/// <summary>Sandboxes with SASL or TLS listeners, and the one user the tests log in as.</summary>
public static class SecureSandbox
{
    public const string User = "alice";
    public const string Password = "alice-secret-1";
    public const string WrongPassword = "not-alice-secret";

    public static Task<SandboxCluster> StartSaslAsync(string mechanism, int brokers = 1) =>
        SandboxCluster.StartAsync(new SandboxOptions
        {
            BrokerCount = brokers,
            SaslMechanisms = [mechanism],
            Users = new Dictionary<string, string> { [User] = Password, ["bob"] = "bob-secret" },
        });

    public static Task<SandboxCluster> StartTlsAsync(TestCertificates certificates, bool requireClientCertificate, int brokers = 1) =>
        SandboxCluster.StartAsync(new SandboxOptions
        {
            BrokerCount = brokers,
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
            TlsClientCaFile = requireClientCertificate ? certificates.CaFile : null,
        });

    /// <summary>SASL_SSL: SASL inside TLS, as a Kafka SASL_SSL listener.</summary>
    public static Task<SandboxCluster> StartSaslSslAsync(TestCertificates certificates, string mechanism) =>
        SandboxCluster.StartAsync(new SandboxOptions
        {
            SaslMechanisms = [mechanism],
            Users = new Dictionary<string, string> { [User] = Password },
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
        });

    /// <summary>Waits for a condition with a deadline; no sleeps of fixed length in tests.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting for {what}");
            }
            await Task.Delay(20);
        }
    }
}
