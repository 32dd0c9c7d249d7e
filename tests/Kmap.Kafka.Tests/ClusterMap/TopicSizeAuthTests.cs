using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Conformance.Tests.Support;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Sandbox;

namespace Kmap.Kafka.Tests.ClusterMap;

/// <summary>Topic sizes over the hand-written Wire connection authenticate as librdkafka does (SASL PLAIN and SCRAM, TLS).</summary>
public class TopicSizeAuthTests
{
    private const string User = "admin";
    private const string Password = "s3cret=,pass";

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task Sizes_over_sasl_and_a_wrong_password_is_refused(string mechanism)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            BrokerCount = 2,
            SaslMechanisms = [mechanism],
            Users = new Dictionary<string, string> { [User] = Password },
        }, cancellationToken: ct);
        var settings = new ConnectionSettings
        {
            BootstrapServers = sandbox.BootstrapServers,
            SecurityProtocol = Core.Config.SecurityProtocol.SaslPlaintext,
            SaslMechanism = mechanism,
            SaslUsername = User,
            SaslPassword = Password,
        };
        using var admin = new KafkaAdmin(settings);
        await admin.Client.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 2, ReplicationFactor = 2 }]);

        var sizes = await new TopicSizeReader(admin, settings).ReadAsync(null, ct);
        var wrong = await Assert.ThrowsAsync<ClusterException>(() => new TopicSizeReader(admin, settings with { SaslPassword = "nope" }).ReadAsync(null, ct));

        Assert.Equal([("orders", 2, 0L)], sizes.Select(s => (s.Topic, s.Partitions, s.SizeBytes)));
        Assert.Contains("refused the credentials", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_checks_the_brokers_certificate_against_the_given_ca()
    {
        var ct = TestContext.Current.CancellationToken;
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
        }, cancellationToken: ct);
        var settings = new ConnectionSettings
        {
            BootstrapServers = sandbox.BootstrapServers,
            SecurityProtocol = Core.Config.SecurityProtocol.Ssl,
            TlsCaFile = certificates.CaFile,
        };
        using var admin = new KafkaAdmin(settings);
        await admin.Client.CreateTopicsAsync([new TopicSpecification { Name = "t", NumPartitions = 1, ReplicationFactor = 1 }]);

        var sizes = await new TopicSizeReader(admin, settings).ReadAsync(null, ct);
        var otherCa = await Assert.ThrowsAsync<ClusterException>(() => new TopicSizeReader(admin, settings with { TlsCaFile = certificates.OtherCaFile }).ReadAsync(null, ct));
        var skipped = await new TopicSizeReader(admin, settings with { TlsCaFile = certificates.OtherCaFile, TlsSkipVerify = true }).ReadAsync(null, ct);

        Assert.Equal(["t"], sizes.Select(s => s.Topic));
        Assert.Contains("TLS handshake with broker", otherCa.Message, StringComparison.Ordinal);
        Assert.Equal(sizes, skipped);
    }
}
