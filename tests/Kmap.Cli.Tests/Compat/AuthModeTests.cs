using System.Text.Json;
using Kmap.Cli.Tests.Support;
using Kmap.Conformance.Tests.Support;
using Kmap.Core.Config;
using Kmap.Kafka;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Compat;

/// <summary>Backup with the Go flags and restore with the script's COMMAND_CONFIG, against sandboxes that demand each kind of authentication.</summary>
public class AuthModeTests
{
    private const string User = "alice";
    private const string Password = "alice-secret-1";

    public static TheoryData<string> Modes() =>
        ["sasl-plain-implied", "scram-256-flags", "scram-512-command-config", "tls", "tls-skip-verify", "mtls", "sasl-ssl-scram"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Backup_and_restore_through_each_authentication_mode(string mode)
    {
        using var certificates = TestCertificates.Create();
        using var dir = new TempDirectory();
        var keystore = dir.File("client-keystore.pem");
        File.WriteAllText(keystore, File.ReadAllText(certificates.ClientKeyFile).TrimEnd() + "\n" + File.ReadAllText(certificates.ClientCertificateFile));
        var (options, flags, properties) = Setup(mode, certificates, keystore);
        await using var sandbox = await SandboxCluster.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("orders", 2, 1);
        }
        var propertiesFile = dir.File("client.properties");
        File.WriteAllText(propertiesFile, properties);
        flags = flags.Select(f => f == "PLACEHOLDER" ? propertiesFile : f).ToArray();
        string[] cg = ["consumer-groups", "--bootstrap-server", sandbox.BootstrapServers, "--command-config", propertiesFile];
        var seed = await CliRun.RunAsync([.. cg, "--group", "payments-app", "--reset-offsets", "--to-offset", "0", "--topic", "orders", "--execute"]);
        Assert.True(seed.ExitCode == 0, seed.ToString());

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext(stdout, stderr, name => name == "KMAP_SASL_PASSWORD" ? Password : null) { KmapPath = KmapBinary.Path };
        var json = dir.File("offsets.json");
        var script = dir.File("restore.sh");
        var exit = await KmapApp.RunAsync(["-brokers", sandbox.BootstrapServers, .. flags, "-save-offsets", json, "-restore-offsets-script", script], context, TestContext.Current.CancellationToken);

        Assert.True(exit == 0, stderr.ToString());
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.Equal("payments-app", doc.RootElement.GetProperty("consumer_groups")[0].GetProperty("group").GetString());
        }
        Assert.DoesNotContain(Password, File.ReadAllText(json) + File.ReadAllText(script) + stderr, StringComparison.Ordinal);
        if (mode == "tls-skip-verify")
        {
            Assert.Contains("WARNING: -tls-skip-verify", stderr.ToString(), StringComparison.Ordinal);
        }
        if (mode == "sasl-plain-implied")
        {
            Assert.Contains("using SASL_PLAINTEXT because a SASL username was given", stderr.ToString(), StringComparison.Ordinal);
        }

        var settings = ConnectionSettingsBuilder.Build(new AuthFlags { BootstrapServers = sandbox.BootstrapServers, CommandConfig = propertiesFile },
            _ => null, File.ReadAllText, _ => { });
        using var admin = new KafkaAdmin(settings);
        // Remove the offsets, so only the restore can bring them back.
        var removed = await CliRun.RunAsync([.. cg, "--delete-offsets", "--group", "payments-app", "--topic", "orders"]);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Empty(await admin.ListCommittedOffsetsAsync("payments-app", TestContext.Current.CancellationToken));

        var restore = await ProcessRunner.RunAsync("bash", [script], environment: new Dictionary<string, string?>
        {
            ["COMMAND_CONFIG"] = $"--command-config {propertiesFile}",
            ["KAFKA_CONSUMER_GROUPS"] = null,
        });
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("1 of 1 group(s) restored", restore.Stdout, StringComparison.Ordinal);

        var committed = await admin.ListCommittedOffsetsAsync("payments-app", TestContext.Current.CancellationToken);
        Assert.Equal([("orders", 0, 0L), ("orders", 1, 0L)], committed.OrderBy(c => c.Partition).Select(c => (c.Topic, c.Partition, c.Offset)));
    }

    [Fact]
    public async Task A_wrong_password_fails_at_once_with_the_brokers_reason_and_writes_nothing()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            SaslMechanisms = ["SCRAM-SHA-256"],
            Users = new Dictionary<string, string> { [User] = Password },
        }, cancellationToken: TestContext.Current.CancellationToken);
        using var dir = new TempDirectory();
        var stderr = new StringWriter();
        var context = new CliContext(new StringWriter(), stderr, name => name == "KMAP_SASL_PASSWORD" ? "wrong" : null);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var exit = await KmapApp.RunAsync(["-brokers", sandbox.BootstrapServers, "-sasl-mechanism", "SCRAM-SHA-256", "-sasl-username", User,
            "-save-offsets", dir.File("offsets.json")], context, TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("Authentication failed", stderr.ToString(), StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}: the request timeout was waited out");
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    private static (SandboxOptions Options, string[] Flags, string Properties) Setup(string mode, TestCertificates certificates, string keystore)
    {
        var users = new Dictionary<string, string> { [User] = Password };
        var jaasPlain = $"sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\\n  username=\"{User}\" \\\n  password=\"{Password}\";\n";
        var jaasScram = $"sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\\n  username=\"{User}\" \\\n  password=\"{Password}\";\n";
        var trust = $"ssl.truststore.type=PEM\nssl.truststore.location={certificates.CaFile}\n";
        var tls = new SandboxOptions { TlsCertificateFile = certificates.BrokerCertificateFile, TlsKeyFile = certificates.BrokerKeyFile };
        return mode switch
        {
            "sasl-plain-implied" => (new SandboxOptions { SaslMechanisms = ["PLAIN"], Users = users },
                ["-sasl-username", User],
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n" + jaasPlain),
            "scram-256-flags" => (new SandboxOptions { SaslMechanisms = ["SCRAM-SHA-256"], Users = users },
                ["-security-protocol", "SASL_PLAINTEXT", "-sasl-mechanism", "SCRAM-SHA-256", "-sasl-username", User, "-sasl-password", Password],
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\n" + jaasScram),
            "scram-512-command-config" => (new SandboxOptions { SaslMechanisms = ["SCRAM-SHA-512"], Users = users },
                ["-command-config", "PLACEHOLDER"],
                "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n" + jaasScram),
            "tls" => (tls,
                ["-security-protocol", "SSL", "-tls-ca", certificates.CaFile],
                "security.protocol=SSL\n" + trust),
            "tls-skip-verify" => (tls,
                ["-security-protocol", "SSL", "-tls-skip-verify"],
                "security.protocol=SSL\n" + trust),
            "mtls" => (tls with { TlsClientCaFile = certificates.CaFile },
                ["--security-protocol=SSL", "-tls-client-cert", certificates.ClientCertificateFile, "-tls-client-key", certificates.ClientKeyFile, "-tls-ca-cert", certificates.CaFile],
                $"security.protocol=SSL\n{trust}ssl.keystore.type=PEM\nssl.keystore.location={keystore}\n"),
            "sasl-ssl-scram" => (tls with { SaslMechanisms = ["SCRAM-SHA-512"], Users = users },
                ["-security-protocol", "SASL_SSL", "-sasl-mechanism", "SCRAM-SHA-512", "-sasl-username", User, "-tls-ca", certificates.CaFile],
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n" + jaasScram + trust),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
    }
}
