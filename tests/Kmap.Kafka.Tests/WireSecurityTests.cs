using Confluent.Kafka.Admin;
using Kmap.Conformance.Tests.Support;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;

namespace Kmap.Kafka.Tests;

/// <summary>
/// kmap's own retrying requests (group listing and multi-group OffsetFetch) over every security protocol:
/// SASL PLAIN and SCRAM, TLS, mTLS and SASL_SSL, with clear errors for wrong credentials and certificates,
/// and the retries still working under injected faults.
/// </summary>
public class WireSecurityTests
{
    private const string User = "backup-operator";
    private const string Password = "Wire-S3cret=,pass";
    private static readonly string[] Groups = ["group-a", "group-b", "group-c", "group-d", "group-e", "group-f"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task Groups_and_offsets_are_read_with_kmaps_own_requests_over_sasl(string mechanism)
    {
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 2, SaslMechanisms = [mechanism], Users = new Dictionary<string, string> { [User] = Password } });
        var settings = Sasl(sandbox, mechanism, Password);
        using var admin = new KafkaAdmin(settings, TimeSpan.FromSeconds(20));
        await SeedAsync(admin);
        var authenticationsBefore = sandbox.State.Requests.Snapshot().GetValueOrDefault(ApiKey.SaslAuthenticate);

        var listed = await admin.ListGroupsAsync(Ct);
        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(Groups, null, Ct);

        Assert.Equal(Groups, listed.Select(g => g.Group).Order(StringComparer.Ordinal));
        AssertSeeded(answers);
        // The listing and the fetch went through kmap's own connections, which authenticated themselves.
        Assert.True(sandbox.State.Requests.Snapshot().GetValueOrDefault(ApiKey.SaslAuthenticate) > authenticationsBefore);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task A_wrong_password_fails_at_once_naming_broker_mechanism_and_user_but_not_the_password(string mechanism)
    {
        await using var sandbox = await StartAsync(new SandboxOptions { SaslMechanisms = [mechanism], Users = new Dictionary<string, string> { [User] = Password } });
        const string wrong = "Wrong-Pa55word-7f3a";
        var lister = new Kmap.Kafka.Wire.WireGroupLister(Sasl(sandbox, mechanism, wrong), TimeSpan.FromSeconds(20));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ClusterException>(() => lister.ListAsync(Ct));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"a refused password is not retried until the deadline ({clock.Elapsed})");
        Assert.Contains($"SASL {mechanism} authentication of user '{User}' failed on bootstrap broker {sandbox.BootstrapServers}", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the user name and the password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mechanism_the_broker_does_not_offer_is_named_with_the_ones_it_does()
    {
        await using var sandbox = await StartAsync(new SandboxOptions { SaslMechanisms = ["SCRAM-SHA-512"], Users = new Dictionary<string, string> { [User] = Password } });
        var lister = new Kmap.Kafka.Wire.WireGroupLister(Sasl(sandbox, "PLAIN", Password), TimeSpan.FromSeconds(20));

        var error = await Assert.ThrowsAsync<ClusterException>(() => lister.ListAsync(Ct));

        Assert.Contains("does not accept SASL mechanism PLAIN (it offers SCRAM-SHA-512)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_verifies_the_chain_and_skip_verify_accepts_any_certificate()
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 2, TlsCertificateFile = certificates.BrokerCertificateFile, TlsKeyFile = certificates.BrokerKeyFile });
        var settings = new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers, SecurityProtocol = SecurityProtocol.Ssl, TlsCaFile = certificates.CaFile };
        using var admin = new KafkaAdmin(settings, TimeSpan.FromSeconds(20));
        await SeedAsync(admin);

        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(Groups, null, Ct);
        var otherCa = await Assert.ThrowsAsync<ClusterException>(() =>
            new Kmap.Kafka.Wire.WireGroupLister(settings with { TlsCaFile = certificates.OtherCaFile }, TimeSpan.FromSeconds(20)).ListAsync(Ct));
        var skipped = await new Kmap.Kafka.Wire.MultiGroupOffsetFetch(settings with { TlsCaFile = certificates.OtherCaFile, TlsSkipVerify = true }, TimeSpan.FromSeconds(20))
            .FetchAsync(Groups, null, Ct);

        AssertSeeded(answers);
        Assert.Contains($"TLS handshake with bootstrap broker {sandbox.BootstrapServers.Split(',')[0]} failed", otherCa.Message, StringComparison.Ordinal);
        Assert.Contains("check -tls-ca", otherCa.Message, StringComparison.Ordinal);
        AssertSeeded(skipped);
    }

    [Fact]
    public async Task Tls_checks_the_host_name_the_certificate_was_issued_for()
    {
        using var certificates = TestCertificates.Create();
        // The broker certificate names 127.0.0.1 and localhost; a listener on 127.0.0.2 (loopback too) does not match it.
        await using var sandbox = await StartAsync(new SandboxOptions
        {
            Host = "127.0.0.2",
            ClusterId = "tls-host-name-test",
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
        });
        var settings = new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers, SecurityProtocol = SecurityProtocol.Ssl, TlsCaFile = certificates.CaFile };

        var mismatch = await Assert.ThrowsAsync<ClusterException>(() => new Kmap.Kafka.Wire.WireGroupLister(settings, TimeSpan.FromSeconds(20)).ReadClusterIdAsync(Ct));
        var withoutHostName = await new Kmap.Kafka.Wire.WireGroupLister(settings with { TlsVerifyHostname = false }, TimeSpan.FromSeconds(20)).ReadClusterIdAsync(Ct);

        Assert.Contains($"TLS handshake with bootstrap broker {sandbox.BootstrapServers} failed", mismatch.Message, StringComparison.Ordinal);
        Assert.Equal("tls-host-name-test", withoutHostName);
    }

    [Fact]
    public async Task Mutual_tls_reads_with_a_client_certificate_and_fails_clearly_without_one()
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await StartAsync(new SandboxOptions
        {
            BrokerCount = 2,
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
            TlsClientCaFile = certificates.CaFile,
        });
        var settings = new ConnectionSettings
        {
            BootstrapServers = sandbox.BootstrapServers,
            SecurityProtocol = SecurityProtocol.Ssl,
            TlsCaFile = certificates.CaFile,
            TlsCertFile = certificates.ClientCertificateFile,
            TlsKeyFile = certificates.ClientKeyFile,
        };
        using var admin = new KafkaAdmin(settings, TimeSpan.FromSeconds(20));
        await SeedAsync(admin);

        var answers = await new Kmap.Kafka.Wire.MultiGroupOffsetFetch(settings, TimeSpan.FromSeconds(20)).FetchAsync(Groups, null, Ct);
        var withoutCertificate = await Assert.ThrowsAsync<ClusterException>(() =>
            new Kmap.Kafka.Wire.WireGroupLister(settings with { TlsCertFile = null, TlsKeyFile = null }, TimeSpan.FromSeconds(3)).ListAsync(Ct));

        AssertSeeded(answers);
        Assert.Contains(sandbox.BootstrapServers, withoutCertificate.Message, StringComparison.Ordinal);
        // The broker hangs up on a client without a certificate: the error says so rather than only "no answer".
        Assert.DoesNotContain("last error: no answer", withoutCertificate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sasl_ssl_with_scram_reads_every_group()
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await StartAsync(new SandboxOptions
        {
            BrokerCount = 2,
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
            SaslMechanisms = ["SCRAM-SHA-256"],
            Users = new Dictionary<string, string> { [User] = Password },
        });
        var settings = Sasl(sandbox, "SCRAM-SHA-256", Password) with { SecurityProtocol = SecurityProtocol.SaslSsl, TlsCaFile = certificates.CaFile };
        using var admin = new KafkaAdmin(settings, TimeSpan.FromSeconds(20));
        await SeedAsync(admin);

        var listed = await admin.ListGroupsAsync(Ct);
        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(Groups, null, Ct);

        Assert.Equal(Groups, listed.Select(g => g.Group).Order(StringComparer.Ordinal));
        AssertSeeded(answers);
    }

    [Theory]
    [InlineData("error=0.5:NOT_COORDINATOR@OffsetFetch")]
    [InlineData("error=0.5:COORDINATOR_LOAD_IN_PROGRESS@OffsetFetch;error=0.3:COORDINATOR_NOT_AVAILABLE@ListGroups")]
    [InlineData("error=0.3:REQUEST_TIMED_OUT")]
    [InlineData("move-coordinators=20")]
    public async Task Under_sasl_scram_a_fault_is_retried_and_the_offsets_are_exact(string faults)
    {
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 3, SaslMechanisms = ["SCRAM-SHA-512"], Users = new Dictionary<string, string> { [User] = Password } });
        var settings = Sasl(sandbox, "SCRAM-SHA-512", Password);
        using (var seeder = new KafkaAdmin(settings, TimeSpan.FromSeconds(20)))
        {
            await SeedAsync(seeder);
        }
        sandbox.Faults.Apply(FaultSpecParser.Parse(faults));
        using var admin = new KafkaAdmin(settings, TimeSpan.FromSeconds(30));

        var listed = await admin.ListGroupsAsync(Ct);
        var answers = await ((IBatchOffsetReader)admin).ListCommittedOffsetsAsync(Groups, null, Ct);

        Assert.Equal(Groups, listed.Select(g => g.Group).Order(StringComparer.Ordinal));
        AssertSeeded(answers);
        var counters = sandbox.Faults.Counters;
        if (!faults.StartsWith("move", StringComparison.Ordinal))
        {
            Assert.True(counters.TotalErrors + counters.Drops > 0, "the fault was injected");
        }
    }

    [Fact]
    public async Task Under_sasl_scram_cut_connections_are_reopened_and_authenticated_again()
    {
        await using var sandbox = await StartAsync(new SandboxOptions { BrokerCount = 2, SaslMechanisms = ["SCRAM-SHA-256"], Users = new Dictionary<string, string> { [User] = Password } });
        var settings = Sasl(sandbox, "SCRAM-SHA-256", Password);
        using (var seeder = new KafkaAdmin(settings, TimeSpan.FromSeconds(20)))
        {
            await SeedAsync(seeder);
        }
        // SCRAM takes 3 requests (SaslHandshake, 2 x SaslAuthenticate) and discovery 2 more (ApiVersions, FindCoordinator):
        // with one group per OffsetFetch on one connection per coordinator, every connection is cut after its
        // second OffsetFetch, so the fetch only completes by reconnecting and authenticating again.
        sandbox.Faults.Apply(FaultSpecParser.Parse("drop-after=5"));
        var fetch = new Kmap.Kafka.Wire.MultiGroupOffsetFetch(settings, TimeSpan.FromSeconds(30)) { GroupsPerRequest = 1, ConnectionsPerCoordinator = 1 };

        var answers = await fetch.FetchAsync(Groups, null, Ct);

        AssertSeeded(answers);
        Assert.True(sandbox.Faults.Counters.Drops > 0, "connections were cut");
    }

    private static Task<SandboxCluster> StartAsync(SandboxOptions options) => SandboxCluster.StartAsync(options, cancellationToken: Ct);

    private static ConnectionSettings Sasl(SandboxCluster sandbox, string mechanism, string password) => new()
    {
        BootstrapServers = sandbox.BootstrapServers,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = mechanism,
        SaslUsername = User,
        SaslPassword = password,
    };

    private static async Task SeedAsync(KafkaAdmin admin)
    {
        await admin.Client.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 3, ReplicationFactor = 1 }]);
        for (var g = 0; g < Groups.Length; g++)
        {
            var results = await admin.AlterOffsetsAsync(Groups[g], [new CommittedOffset("orders", g % 3, 100L + g), new CommittedOffset("orders", (g + 1) % 3, 7L * g)], Ct);
            Assert.All(results, r => Assert.Null(r.Error));
        }
    }

    private static void AssertSeeded(IReadOnlyDictionary<string, GroupOffsetsAnswer>? answers)
    {
        Assert.NotNull(answers);
        for (var g = 0; g < Groups.Length; g++)
        {
            var answer = answers[Groups[g]];
            Assert.Null(answer.Error);
            Assert.Equal(new[] { ("orders", g % 3, 100L + g), ("orders", (g + 1) % 3, 7L * g) }.OrderBy(o => o.Item2),
                answer.Offsets!.OrderBy(o => o.Partition).Select(o => (o.Topic, o.Partition, o.Offset)));
        }
    }
}
