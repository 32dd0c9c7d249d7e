using Kmap.Cli.Tests.Support;
using Kmap.Conformance.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>-topic-sizes (kmap's own DescribeLogDirs connection) over TLS, mTLS and SASL_SSL, with the compat flags.</summary>
public class TopicSizesSecurityTests
{
    private const string User = "admin";
    private const string Password = "pw-for-sizes";

    [Theory]
    [InlineData("tls")]
    [InlineData("mtls")]
    [InlineData("sasl-ssl-scram")]
    public async Task Topic_sizes_over_tls(string mode)
    {
        using var certificates = TestCertificates.Create();
        var tls = new SandboxOptions { BrokerCount = 2, TlsCertificateFile = certificates.BrokerCertificateFile, TlsKeyFile = certificates.BrokerKeyFile };
        var (options, flags) = mode switch
        {
            "tls" => (tls, new[] { "-security-protocol", "SSL", "-tls-ca", certificates.CaFile }),
            "mtls" => (tls with { TlsClientCaFile = certificates.CaFile },
                ["-security-protocol", "SSL", "-tls-cert", certificates.ClientCertificateFile, "-tls-key", certificates.ClientKeyFile, "-tls-ca", certificates.CaFile]),
            _ => (tls with { SaslMechanisms = ["SCRAM-SHA-512"], Users = new Dictionary<string, string> { [User] = Password } },
                ["-security-protocol", "SASL_SSL", "-sasl-mechanism", "SCRAM-SHA-512", "-sasl-username", User, "-sasl-password", Password, "-tls-ca", certificates.CaFile]),
        };
        await using var sandbox = await SandboxCluster.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        using var dir = new TempDirectory();

        var run = await KmapBinary.RunAsync(dir.Path, null, ["-brokers", sandbox.BootstrapServers, .. flags, "-topic-sizes"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("TOPIC ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("\nTOTAL ", run.Stdout, StringComparison.Ordinal);
    }
}
