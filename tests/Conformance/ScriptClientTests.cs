using System.Text;
using System.Text.Json;
using Kmap.Conformance.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Conformance.Tests;

/// <summary>
/// The matrix scenarios for clients driven through a script (kafka-python's kp.py, kafkajs' kjs.js). Both
/// scripts take the same sub-commands and print the same JSON, so the scenarios are written once here;
/// each client class says how to start its script and what its own errors and quirks look like.
/// </summary>
public abstract class ScriptClientTests
{
    /// <summary>The client's name in the matrix.</summary>
    protected abstract string Client { get; }

    /// <summary>Prefix of the topics and groups a client's tests create, so failures name their client.</summary>
    protected abstract string Prefix { get; }

    /// <summary>The interpreter and script to run, and the environment variable that carries a password.</summary>
    protected abstract (string Interpreter, string Script, string PasswordVariable) ScriptCommand { get; }

    /// <summary>How the script reports "no error" for a deleted group (a code or an error class name).</summary>
    protected abstract string NoErrorText { get; }

    /// <summary>Creating the same topic twice: created once, refused (or reported existing) the second time.</summary>
    protected abstract void AssertCreatedOnceOnly(JsonElement root);

    /// <summary>Records as the client can send them (kafkajs groups repeated header keys).</summary>
    protected virtual IReadOnlyList<SampleRecords.Sample> PrepareSamples(IReadOnlyList<SampleRecords.Sample> samples) => samples;

    /// <summary>Extra checks on what the client itself reports after a group consume.</summary>
    protected virtual void AssertOwnCommitView(JsonElement root)
    {
    }

    /// <summary>Error names the client may give when the broker's certificate is not signed by its CA.</summary>
    protected abstract string[] UntrustedCertificateErrors { get; }

    /// <summary>Extra checks on that refusal.</summary>
    protected virtual void AssertUntrustedCertificate(ExternalProcess.Result refused)
    {
    }

    /// <summary>Error names the client may give when an mTLS broker refuses it for having no certificate.</summary>
    protected abstract string[] MissingCertificateErrors { get; }

    /// <summary>What the client reports for a wrong password, beyond failing fast.</summary>
    protected abstract void AssertWrongPassword(string mechanism, ExternalProcess.Result refused);

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Metadata_of_a_three_broker_cluster(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.Metadata, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        using var result = await RunAsync("metadata", sandbox.BootstrapServers);
        var brokers = result.RootElement.GetProperty("brokers").EnumerateArray().Select(b => (b.GetProperty("node_id").GetInt32(), b.GetProperty("port").GetInt32()));
        Assert.Equal(sandbox.State.Brokers.Select(b => (b.Id, b.Port)), brokers);
        Assert.Equal(sandbox.State.ClusterId, result.RootElement.GetProperty("cluster_id").GetString());
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Create_topic(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.CreateTopic, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        using var result = await RunAsync("create-topic", sandbox.BootstrapServers, ["--topic", Prefix + "-orders", "--partitions", "4"]);
        Assert.Equal([0, 1, 2, 3], result.RootElement.GetProperty("partitions").EnumerateArray().Select(p => p.GetInt32()));
        AssertCreatedOnceOnly(result.RootElement);
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Produce_and_consume_keys_headers_timestamps_byte_for_byte(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ProduceConsume, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-bytes", 2);
        var samples = PrepareSamples(SampleRecords.Create(partitions: 2));
        using (var produced = await RunAsync("produce", sandbox.BootstrapServers, ["--topic", Prefix + "-bytes"], Encoding.UTF8.GetBytes(SampleRecords.ToJson(samples))))
        {
            Assert.Equal(samples.Count, produced.RootElement.GetProperty("produced").GetArrayLength());
        }
        SampleRecords.AssertStored(sandbox.BootstrapServers, Prefix + "-bytes", samples);
        using var consumed = await RunAsync("consume", sandbox.BootstrapServers, ["--topic", Prefix + "-bytes", "--count", samples.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        SampleRecords.AssertSame(samples, consumed.RootElement.GetProperty("records"));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Group_consume_with_subscribe_rebalance_and_commit(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.GroupConsume, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-work", 4);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, Prefix + "-work", 4, 10);
        using var result = await RunAsync("group-consume", sandbox.BootstrapServers, ["--topic", Prefix + "-work", "--group", Prefix + "-workers", "--partitions", "4", "--count", "40"]);
        var root = result.RootElement;
        Assert.Equal([0, 1, 2, 3], root.GetProperty("alone").EnumerateArray().Select(p => p.GetInt32()));
        var first = root.GetProperty("first").EnumerateArray().Select(p => p.GetInt32()).ToList();
        var second = root.GetProperty("second").EnumerateArray().Select(p => p.GetInt32()).ToList();
        Assert.Equal([0, 1, 2, 3], first.Concat(second).Order());
        Assert.Equal(40, root.GetProperty("records").GetArrayLength());
        AssertOwnCommitView(root);
        Assert.Equal(Enumerable.Range(0, 4).Select(p => (Prefix + "-work", p, 10L)), await SampleRecords.CommittedAsync(sandbox.BootstrapServers, Prefix + "-workers"));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Restarted_consumer_resumes_at_committed_offset(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ResumeAtCommitted, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-resume", 1);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, Prefix + "-resume", 1, 10);
        string[] args = ["--topic", Prefix + "-resume", "--group", Prefix + "-resumers"];
        using (var first = await RunAsync("consume-commit", sandbox.BootstrapServers, [.. args, "--count", "4"]))
        {
            Assert.Equal([0L, 1, 2, 3], first.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("offset").GetInt64()));
        }
        using var second = await RunAsync("consume-commit", sandbox.BootstrapServers, [.. args, "--count", "1"]);
        var record = Assert.Single(second.RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal(4, record.GetProperty("offset").GetInt64());
        Assert.Equal(SampleRecords.Hex(Encoding.UTF8.GetBytes("value-0-4")), record.GetProperty("value").GetString());
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task List_and_describe_groups(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ListDescribeGroups, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-listed", 3);
        using var result = await RunAsync("groups", sandbox.BootstrapServers, ["--topic", Prefix + "-listed", "--group", Prefix + "-described"]);
        var listed = result.RootElement.GetProperty("listed").EnumerateArray().Select(g => (g[0].GetString(), g[1].GetString()));
        Assert.Contains((Prefix + "-described", "consumer"), listed);
        var described = Assert.Single(result.RootElement.GetProperty("described").EnumerateArray());
        Assert.Equal("Stable", described.GetProperty("state").GetString());
        Assert.Equal("consumer", described.GetProperty("protocol_type").GetString());
        var member = Assert.Single(described.GetProperty("members").EnumerateArray());
        Assert.Equal([Prefix + "-listed:0", Prefix + "-listed:1", Prefix + "-listed:2"], member.GetProperty("assignment").EnumerateArray().Select(a => a.GetString()));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Fetch_committed_offsets(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.FetchCommittedOffsets, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-fetched", 3);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, Prefix + "-fetched", 3, 5);
        await SampleRecords.CommitAsync(sandbox.BootstrapServers, Prefix + "-fetchers", Prefix + "-fetched", (0, 1), (1, 5), (2, 3));
        using var result = await RunAsync("fetch-offsets", sandbox.BootstrapServers, ["--group", Prefix + "-fetchers"]);
        Assert.Equal([Prefix + "-fetched/0/1", Prefix + "-fetched/1/5", Prefix + "-fetched/2/3"],
            result.RootElement.GetProperty("offsets").EnumerateArray().Select(o => $"{o[0].GetString()}/{o[1].GetInt32()}/{o[2].GetInt64()}"));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Admin_commit_without_joining(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.AdminCommit, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-restored", 2);
        await SampleRecords.ProduceAsync(sandbox.BootstrapServers, Prefix + "-restored", 2, 8);
        using var result = await RunAsync("commit", sandbox.BootstrapServers, ["--topic", Prefix + "-restored", "--group", Prefix + "-restored-group", "--offsets", "0:3,1:7"]);
        Assert.Equal([(Prefix + "-restored", 0, 3L), (Prefix + "-restored", 1, 7L)], await SampleRecords.CommittedAsync(sandbox.BootstrapServers, Prefix + "-restored-group"));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Delete_group(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.DeleteGroup, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await SampleRecords.CreateTopicAsync(sandbox.BootstrapServers, Prefix + "-doomed", 1);
        await SampleRecords.CommitAsync(sandbox.BootstrapServers, Prefix + "-doomed-group", Prefix + "-doomed", (0, 0));
        Assert.Contains(Prefix + "-doomed-group", await SampleRecords.ListGroupsAsync(sandbox.BootstrapServers));
        using var result = await RunAsync("delete-group", sandbox.BootstrapServers, ["--group", Prefix + "-doomed-group"]);
        var (group, error) = Assert.Single(result.RootElement.GetProperty("results").EnumerateArray().Select(r => (r[0].GetString(), r[1].ToString())));
        Assert.Equal((Prefix + "-doomed-group", NoErrorText), (group, error));
        Assert.DoesNotContain(Prefix + "-doomed-group", await SampleRecords.ListGroupsAsync(sandbox.BootstrapServers));
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
        AssertFailedFast(refused, UntrustedCertificateErrors);
        AssertUntrustedCertificate(refused);
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
        var refused = await RunRawAsync("metadata", sandbox.BootstrapServers, ["--security-protocol", "SSL", "--ca", certificates.CaFile]);
        AssertFailedFast(refused, MissingCertificateErrors);
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

    private async Task SaslAsync(string mechanism)
    {
        await using var sandbox = await SecureSandbox.StartSaslAsync(mechanism, brokers: 3);
        string[] sasl = ["--security-protocol", "SASL_PLAINTEXT", "--sasl-mechanism", mechanism, "--user", SecureSandbox.User];
        using (var ok = await RunAsync("metadata", sandbox.BootstrapServers, sasl, password: SecureSandbox.Password))
        {
            Assert.Equal(3, ok.RootElement.GetProperty("brokers").GetArrayLength());
        }
        var refused = await RunRawAsync("metadata", sandbox.BootstrapServers, sasl, password: SecureSandbox.WrongPassword);
        AssertWrongPassword(mechanism, refused);
        Assert.DoesNotContain(SecureSandbox.WrongPassword, refused.StandardError, StringComparison.Ordinal);
    }

    protected static void AssertFailedFast(ExternalProcess.Result result, params string[] errors)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == 1, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.True(errors.Contains(json.RootElement.GetProperty("error").GetString()), $"expected one of {string.Join(", ", errors)}; {result}");
        Assert.True(json.RootElement.GetProperty("seconds").GetDouble() < Scenario.WrongPasswordBound.TotalSeconds, result.ToString());
    }

    private async Task<JsonDocument> RunAsync(string command, string bootstrap, string[]? arguments = null, byte[]? input = null, string? password = null)
    {
        var result = await RunRawAsync(command, bootstrap, arguments, input, password);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput);
    }

    private Task<ExternalProcess.Result> RunRawAsync(string command, string bootstrap, string[]? arguments = null, byte[]? input = null, string? password = null)
    {
        var (interpreter, script, passwordVariable) = ScriptCommand;
        var environment = password is null ? null : new Dictionary<string, string> { [passwordVariable] = password };
        return ExternalProcess.RunAsync(interpreter, [script, command, "--bootstrap", bootstrap, .. arguments ?? []], Clients.Timeout, input, environment);
    }
}
