using System.Text;
using System.Text.Json;
using Kmap.Conformance.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Conformance.Tests;

/// <summary>
/// kafkajs 2.2.4 (npm, pinned by tests/Conformance/node/package-lock.json) through tests/Conformance/node/kjs.js.
/// It authenticates with SaslHandshake v1 and SaslAuthenticate. Its headers are an object, so repeated
/// header keys are sent grouped by key: the samples are reordered the same way before comparing.
/// </summary>
public class KafkajsTests
{
    private const string Client = "kafkajs";

    [Fact]
    public Task Metadata_of_a_three_broker_cluster() => ConformanceMatrix.RunAsync(Client, Scenario.Metadata, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        using var result = await RunAsync("metadata", sandbox.BootstrapServers);
        var brokers = result.RootElement.GetProperty("brokers").EnumerateArray().Select(b => (b.GetProperty("node_id").GetInt32(), b.GetProperty("port").GetInt32()));
        Assert.Equal(sandbox.State.Brokers.Select(b => (b.Id, b.Port)), brokers);
        Assert.Equal(sandbox.State.ClusterId, result.RootElement.GetProperty("cluster_id").GetString());
    });

    [Fact]
    public Task Create_topic() => ConformanceMatrix.RunAsync(Client, Scenario.CreateTopic, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        using var result = await RunAsync("create-topic", sandbox.BootstrapServers, ["--topic", "kjs-orders", "--partitions", "4"]);
        Assert.Equal([0, 1, 2, 3], result.RootElement.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()));
        Assert.True(result.RootElement.GetProperty("created").GetBoolean());
        Assert.False(result.RootElement.GetProperty("created_again").GetBoolean());
    });

    [Fact]
    public Task Produce_and_consume_keys_headers_timestamps_byte_for_byte() => ConformanceMatrix.RunAsync(Client, Scenario.ProduceConsume, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-bytes", 2);
        var samples = SampleRecords.GroupHeadersByKey(SampleRecords.Create(partitions: 2));
        using (var produced = await RunAsync("produce", sandbox.BootstrapServers, ["--topic", "kjs-bytes"], Encoding.UTF8.GetBytes(SampleRecords.ToJson(samples))))
        {
            Assert.Equal(samples.Count, produced.RootElement.GetProperty("produced").GetArrayLength());
        }
        SampleRecords.AssertStored(sandbox.BootstrapServers, "kjs-bytes", samples);
        using var consumed = await RunAsync("consume", sandbox.BootstrapServers, ["--topic", "kjs-bytes", "--count", samples.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        SampleRecords.AssertSame(samples, consumed.RootElement.GetProperty("records"));
    });

    [Fact]
    public Task Group_consume_with_subscribe_rebalance_and_commit() => ConformanceMatrix.RunAsync(Client, Scenario.GroupConsume, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-work", 4);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, "kjs-work", 4, 10);
        using var result = await RunAsync("group-consume", sandbox.BootstrapServers, ["--topic", "kjs-work", "--group", "kjs-workers", "--partitions", "4", "--count", "40"]);
        var root = result.RootElement;
        Assert.Equal([0, 1, 2, 3], root.GetProperty("alone").EnumerateArray().Select(p => p.GetInt32()));
        var first = root.GetProperty("first").EnumerateArray().Select(p => p.GetInt32()).ToList();
        var second = root.GetProperty("second").EnumerateArray().Select(p => p.GetInt32()).ToList();
        Assert.Equal([0, 1, 2, 3], first.Concat(second).Order());
        Assert.Equal(40, root.GetProperty("records").GetArrayLength());
        Assert.Equal(Enumerable.Range(0, 4).Select(p => ("kjs-work", p, 10L)), await SampleRecords.CommittedAsync(sandbox.BootstrapServers, "kjs-workers"));
    });

    [Fact]
    public Task Restarted_consumer_resumes_at_committed_offset() => ConformanceMatrix.RunAsync(Client, Scenario.ResumeAtCommitted, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-resume", 1);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, "kjs-resume", 1, 10);
        string[] args = ["--topic", "kjs-resume", "--group", "kjs-resumers"];
        using (var first = await RunAsync("consume-commit", sandbox.BootstrapServers, [.. args, "--count", "4"]))
        {
            Assert.Equal([0L, 1, 2, 3], first.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("offset").GetInt64()));
        }
        using var second = await RunAsync("consume-commit", sandbox.BootstrapServers, [.. args, "--count", "1"]);
        var record = Assert.Single(second.RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal(4, record.GetProperty("offset").GetInt64());
        Assert.Equal(SampleRecords.Hex(Encoding.UTF8.GetBytes("value-0-4")), record.GetProperty("value").GetString());
    });

    [Fact]
    public Task List_and_describe_groups() => ConformanceMatrix.RunAsync(Client, Scenario.ListDescribeGroups, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-listed", 3);
        using var result = await RunAsync("groups", sandbox.BootstrapServers, ["--topic", "kjs-listed", "--group", "kjs-described"]);
        var listed = result.RootElement.GetProperty("listed").EnumerateArray().Select(g => (g[0].GetString(), g[1].GetString()));
        Assert.Contains(("kjs-described", "consumer"), listed);
        var described = Assert.Single(result.RootElement.GetProperty("described").EnumerateArray());
        Assert.Equal("Stable", described.GetProperty("state").GetString());
        Assert.Equal("consumer", described.GetProperty("protocol_type").GetString());
        var member = Assert.Single(described.GetProperty("members").EnumerateArray());
        Assert.Equal(["kjs-listed:0", "kjs-listed:1", "kjs-listed:2"], member.GetProperty("assignment").EnumerateArray().Select(a => a.GetString()));
    });

    [Fact]
    public Task Fetch_committed_offsets() => ConformanceMatrix.RunAsync(Client, Scenario.FetchCommittedOffsets, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-fetched", 3);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, "kjs-fetched", 3, 5);
        await SampleRecords.CommitAsync(sandbox.BootstrapServers, "kjs-fetchers", "kjs-fetched", (0, 1), (1, 5), (2, 3));
        using var result = await RunAsync("fetch-offsets", sandbox.BootstrapServers, ["--group", "kjs-fetchers"]);
        Assert.Equal(["kjs-fetched/0/1", "kjs-fetched/1/5", "kjs-fetched/2/3"],
            result.RootElement.GetProperty("offsets").EnumerateArray().Select(o => $"{o[0].GetString()}/{o[1].GetInt32()}/{o[2].GetInt64()}"));
    });

    [Fact]
    public Task Admin_commit_without_joining() => ConformanceMatrix.RunAsync(Client, Scenario.AdminCommit, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-restored", 2);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, "kjs-restored", 2, 8);
        using var result = await RunAsync("commit", sandbox.BootstrapServers, ["--topic", "kjs-restored", "--group", "kjs-restored-group", "--offsets", "0:3,1:7"]);
        Assert.Equal([("kjs-restored", 0, 3L), ("kjs-restored", 1, 7L)], await SampleRecords.CommittedAsync(sandbox.BootstrapServers, "kjs-restored-group"));
    });

    [Fact]
    public Task Delete_group() => ConformanceMatrix.RunAsync(Client, Scenario.DeleteGroup, async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, "kjs-doomed", 1);
        await SampleRecords.CommitAsync(sandbox.BootstrapServers, "kjs-doomed-group", "kjs-doomed", (0, 0));
        Assert.Contains("kjs-doomed-group", await SampleRecords.ListGroupsAsync(sandbox.BootstrapServers));
        using var result = await RunAsync("delete-group", sandbox.BootstrapServers, ["--group", "kjs-doomed-group"]);
        var (group, error) = Assert.Single(result.RootElement.GetProperty("results").EnumerateArray().Select(r => (r[0].GetString(), r[1].GetInt32())));
        Assert.Equal(("kjs-doomed-group", 0), (group, error));
        Assert.DoesNotContain("kjs-doomed-group", await SampleRecords.ListGroupsAsync(sandbox.BootstrapServers));
    });

    [Fact]
    public Task Sasl_plain_right_and_wrong_password() => ConformanceMatrix.RunAsync(Client, Scenario.SaslPlain, () => SaslAsync("PLAIN"));

    [Fact]
    public Task Sasl_scram_sha_512_right_and_wrong_password() => ConformanceMatrix.RunAsync(Client, Scenario.SaslScram512, () => SaslAsync("SCRAM-SHA-512"));

    [Fact]
    public Task Tls_with_the_test_ca() => ConformanceMatrix.RunAsync(Client, Scenario.Tls, async () =>
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartTlsAsync(certificates, requireClientCertificate: false, brokers: 3);
        using (var ok = await RunAsync("metadata", sandbox.BootstrapServers, ["--security-protocol", "SSL", "--ca", certificates.CaFile]))
        {
            Assert.Equal(3, ok.RootElement.GetProperty("brokers").GetArrayLength());
        }
        var refused = await RunRawAsync("metadata", sandbox.BootstrapServers, ["--security-protocol", "SSL", "--ca", certificates.OtherCaFile]);
        AssertFailedFast(refused, "KafkaJSConnectionError", "KafkaJSNumberOfRetriesExceeded");
    });

    [Fact]
    public Task Mutual_tls_rejects_a_client_without_certificate() => ConformanceMatrix.RunAsync(Client, Scenario.MutualTls, async () =>
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartTlsAsync(certificates, requireClientCertificate: true);
        using (var ok = await RunAsync("metadata", sandbox.BootstrapServers,
            ["--security-protocol", "SSL", "--ca", certificates.CaFile, "--cert", certificates.ClientCertificateFile, "--key", certificates.ClientKeyFile]))
        {
            Assert.Single(ok.RootElement.GetProperty("brokers").EnumerateArray());
        }
        // Under TLS 1.3 the refusal may come after the client finished its side of the handshake: a closed connection.
        var refused = await RunRawAsync("metadata", sandbox.BootstrapServers, ["--security-protocol", "SSL", "--ca", certificates.CaFile]);
        AssertFailedFast(refused, "KafkaJSConnectionError", "KafkaJSNumberOfRetriesExceeded", "KafkaJSConnectionClosedError");
    });

    /// <summary>Not a matrix row: SASL inside TLS (SASL_SSL), right and wrong password.</summary>
    [Theory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Sasl_ssl_combines_both(string mechanism)
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartSaslSslAsync(certificates, mechanism);
        string[] saslSsl = ["--security-protocol", "SASL_SSL", "--ca", certificates.CaFile, "--sasl-mechanism", mechanism, "--user", SecureSandbox.User];
        using (var ok = await RunAsync("metadata", sandbox.BootstrapServers, saslSsl, password: SecureSandbox.Password))
        {
            Assert.Single(ok.RootElement.GetProperty("brokers").EnumerateArray());
        }
        var refused = await RunRawAsync("metadata", sandbox.BootstrapServers, saslSsl, password: SecureSandbox.WrongPassword);
        Assert.False(refused.TimedOut, refused.ToString());
        Assert.True(refused.ExitCode == 1, refused.ToString());
    }

    private static async Task SaslAsync(string mechanism)
    {
        await using var sandbox = await SecureSandbox.StartSaslAsync(mechanism, brokers: 3);
        string[] sasl = ["--security-protocol", "SASL_PLAINTEXT", "--sasl-mechanism", mechanism, "--user", SecureSandbox.User];
        using (var ok = await RunAsync("metadata", sandbox.BootstrapServers, sasl, password: SecureSandbox.Password))
        {
            Assert.Equal(3, ok.RootElement.GetProperty("brokers").GetArrayLength());
        }
        // SaslAuthenticate answers SASL_AUTHENTICATION_FAILED with Kafka's message; kafkajs does not retry it.
        var refused = await RunRawAsync("metadata", sandbox.BootstrapServers, sasl, password: SecureSandbox.WrongPassword);
        AssertFailedFast(refused, "KafkaJSSASLAuthenticationError");
        var expected = mechanism == "PLAIN"
            ? "Authentication failed: Invalid username or password"
            : $"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism}";
        using var json = JsonDocument.Parse(refused.StandardOutput);
        Assert.Contains(expected, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static void AssertFailedFast(ExternalProcess.Result result, params string[] errors)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.True(errors.Contains(json.RootElement.GetProperty("error").GetString()), $"expected one of {string.Join(", ", errors)}; {result}");
        Assert.True(json.RootElement.GetProperty("seconds").GetDouble() < Scenario.WrongPasswordBound.TotalSeconds, result.ToString());
    }

    private static async Task<JsonDocument> RunAsync(string command, string bootstrap, string[]? arguments = null, byte[]? input = null, string? password = null)
    {
        var result = await RunRawAsync(command, bootstrap, arguments, input, password);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput);
    }

    private static Task<ExternalProcess.Result> RunRawAsync(string command, string bootstrap, string[]? arguments = null, byte[]? input = null, string? password = null)
    {
        var script = Path.Combine(Clients.SourceDirectory, "node", "kjs.js");
        var environment = password is null ? null : new Dictionary<string, string> { ["KJS_PASSWORD"] = password };
        return ExternalProcess.RunAsync(Clients.Node, [script, command, "--bootstrap", bootstrap, .. arguments ?? []], Clients.Timeout, input, environment);
    }
}
