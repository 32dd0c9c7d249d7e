using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Conformance.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Conformance.Tests;

/// <summary>
/// kcat (Debian's, librdkafka built in). It has no admin API: "create topic", "list + describe groups",
/// "fetch committed offsets", "admin commit without joining" and "delete group" are not applicable and
/// are not recorded. Setup it cannot do (creating topics, checking commits) uses Confluent.Kafka.
/// </summary>
public class KcatTests
{
    private const string Client = "kcat";

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Metadata_of_a_three_broker_cluster(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.Metadata, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        var result = await KcatAsync(sandbox.BootstrapServers, ["-L", "-J"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StandardOutput);
        var brokers = json.RootElement.GetProperty("brokers");
        Assert.Equal(3, brokers.GetArrayLength());
        var ports = brokers.EnumerateArray().Select(b => b.GetProperty("name").GetString()!.Split(':')[1]).ToHashSet();
        Assert.Equal(sandbox.State.Brokers.Select(b => b.Port.ToString(CultureInfo.InvariantCulture)).ToHashSet(), ports);
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Produce_and_consume_keys_headers_timestamps_byte_for_byte(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ProduceConsume, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "kcat-bytes", 1);

        // kcat produces: per-message keys (-K), headers (-H), UTF-8 text, an empty value sent as NULL (-Z).
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var lines = new[] { ("k1", "plain value"), ("ключ", "héllo wörld ✓"), ("k3", ""), ("", "no key") };
        var input = string.Concat(lines.Select(l => $"{l.Item1}\t{l.Item2}\u001e"));
        var produced = await KcatAsync(sandbox.BootstrapServers,
            ["-P", "-t", "kcat-bytes", "-p", "0", "-K", "\\t", "-D", "\\x1e", "-Z", "-H", "trace=abc", "-H", "empty="],
            Encoding.UTF8.GetBytes(input));
        Assert.True(produced.ExitCode == 0, produced.ToString());
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // Then it reads back through the sandbox a batch made by another client with exact timestamps and binary data.
        var baseTime = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        var binary = new (byte[]? Key, byte[]? Value, long Timestamp)[]
        {
            ([0, 1, 2, 0xFF], [0xFF, 0, 0x1E, 0x0A, 0], baseTime),
            (null, new byte[5000], baseTime + 1),
            ([], null, baseTime + 2),
        };
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            foreach (var (key, value, timestamp) in binary)
            {
                await producer.ProduceAsync(new TopicPartition("kcat-bytes", 0), new Message<byte[]?, byte[]?>
                {
                    Key = key,
                    Value = value,
                    Timestamp = new Timestamp(timestamp, TimestampType.CreateTime),
                    Headers = [new Header("bin", [0, 0xFF])],
                });
            }
        }

        // Exact bytes: "%K:" is the key length in text, then the key, then %R%s the big-endian payload length and the payload.
        var consumed = await KcatAsync(sandbox.BootstrapServers,
            ["-C", "-t", "kcat-bytes", "-p", "0", "-o", "beginning", "-e", "-f", "%o|%T|%h|%K:%k%R%s"]);
        Assert.True(consumed.ExitCode == 0, consumed.ToString());
        var records = ParseExact(consumed.StandardOutputBytes);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), records.Select(r => r.Offset));
        for (var i = 0; i < lines.Length; i++)
        {
            var (key, value) = lines[i];
            Assert.Equal(Encoding.UTF8.GetBytes(key), records[i].Key ?? []);
            if (value.Length == 0)
            {
                Assert.Null(records[i].Value);
            }
            else
            {
                Assert.Equal(Encoding.UTF8.GetBytes(value), records[i].Value);
            }
            Assert.Equal("trace=abc,empty=", records[i].Headers);
            Assert.InRange(records[i].Timestamp, before - 1000, after + 1000);
        }
        for (var i = 0; i < binary.Length; i++)
        {
            var record = records[lines.Length + i];
            Assert.Equal(binary[i].Key, record.Key);
            Assert.Equal(binary[i].Value, record.Value);
            Assert.Equal(binary[i].Timestamp, record.Timestamp);
        }
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Group_consume_with_subscribe_rebalance_and_commit(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.GroupConsume, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "kcat-work", 4);
        await ProduceAsync(sandbox.BootstrapServers, "kcat-work", 4, 10);

        // Two balanced consumers at once: the second join rebalances the first. -e ends each at the end of its partitions.
        string[] args = ["-G", "kcat-workers", "-e", "-f", "%p %o\\n", "-X", "auto.offset.reset=earliest", "-X", "partition.assignment.strategy=range", "kcat-work"];
        var both = await Task.WhenAll(KcatAsync(sandbox.BootstrapServers, args), KcatAsync(sandbox.BootstrapServers, args));
        Assert.All(both, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var seen = both.SelectMany(r => r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
        var expected = Enumerable.Range(0, 4).SelectMany(p => Enumerable.Range(0, 10).Select(o => $"{p} {o}")).ToHashSet();
        Assert.Equal(expected, seen);
        // Each balanced consumer reports its assignments on stderr ("% Group G rebalanced (...): assigned: T [P], ...").
        Assert.All(both, r => Assert.Contains("rebalanced", r.StandardError, StringComparison.Ordinal));
        var assigned = both.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r.StandardError, @"assigned: (.*)")
            .SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, @"kcat-work \[(\d+)\]").Select(p => int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture))))
            .ToHashSet();
        Assert.Equal([0, 1, 2, 3], assigned.Order());
        var committed = await CommittedAsync(sandbox.BootstrapServers, "kcat-workers", 4);
        Assert.Equal(new long[] { 10, 10, 10, 10 }, committed);
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Restarted_consumer_resumes_at_committed_offset(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ResumeAtCommitted, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "kcat-resume", 1);
        await ProduceAsync(sandbox.BootstrapServers, "kcat-resume", 1, 10);
        string[] args = ["-G", "kcat-resumers", "-f", "%o %s\\n", "-X", "auto.offset.reset=earliest", "kcat-resume"];
        var first = await KcatAsync(sandbox.BootstrapServers, ["-c", "4", .. args]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(["0 value-0-0", "1 value-0-1", "2 value-0-2", "3 value-0-3"], first.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var second = await KcatAsync(sandbox.BootstrapServers, ["-c", "1", .. args]);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("4 value-0-4", second.StandardOutput.Trim());
    });

    [Fact]
    public Task Sasl_plain_right_and_wrong_password() => ConformanceMatrix.RunAsync(Client, Scenario.SaslPlain, () => SaslAsync("PLAIN", "Invalid username or password"));

    [Fact]
    public Task Sasl_scram_sha_512_right_and_wrong_password() => ConformanceMatrix.RunAsync(Client, Scenario.SaslScram512, () =>
        SaslAsync("SCRAM-SHA-512", "invalid credentials with SASL mechanism SCRAM-SHA-512"));

    [Fact]
    public Task Tls_with_the_test_ca() => ConformanceMatrix.RunAsync(Client, Scenario.Tls, async () =>
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartTlsAsync(certificates, requireClientCertificate: false, brokers: 3);
        var ok = await KcatAsync(sandbox.BootstrapServers, ["-L", "-J", "-X", "security.protocol=SSL", "-X", $"ssl.ca.location={certificates.CaFile}"]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(3, JsonDocument.Parse(ok.StandardOutput).RootElement.GetProperty("brokers").GetArrayLength());

        var clock = Stopwatch.StartNew();
        var refused = await KcatAsync(sandbox.BootstrapServers, ["-L", "-X", "security.protocol=SSL", "-X", $"ssl.ca.location={certificates.OtherCaFile}"], metadataTimeoutSeconds: 3);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.False(refused.TimedOut);
        Assert.Contains("certificate verify failed", refused.StandardError, StringComparison.OrdinalIgnoreCase);
        Assert.True(clock.Elapsed < Scenario.WrongPasswordBound, $"took {clock.Elapsed}");
    });

    [Fact]
    public Task Mutual_tls_rejects_a_client_without_certificate() => ConformanceMatrix.RunAsync(Client, Scenario.MutualTls, async () =>
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartTlsAsync(certificates, requireClientCertificate: true);
        string[] tls = ["-X", "security.protocol=SSL", "-X", $"ssl.ca.location={certificates.CaFile}"];
        var ok = await KcatAsync(sandbox.BootstrapServers,
            ["-L", .. tls, "-X", $"ssl.certificate.location={certificates.ClientCertificateFile}", "-X", $"ssl.key.location={certificates.ClientKeyFile}"]);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        var clock = Stopwatch.StartNew();
        var refused = await KcatAsync(sandbox.BootstrapServers, ["-L", .. tls], metadataTimeoutSeconds: 3);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.False(refused.TimedOut);
        Assert.True(clock.Elapsed < Scenario.WrongPasswordBound, $"took {clock.Elapsed}");
    });

    private static async Task SaslAsync(string mechanism, string expectedReason)
    {
        await using var sandbox = await SecureSandbox.StartSaslAsync(mechanism, brokers: 3);
        string[] sasl = ["-X", "security.protocol=SASL_PLAINTEXT", "-X", $"sasl.mechanisms={mechanism}", "-X", $"sasl.username={SecureSandbox.User}"];
        var ok = await KcatAsync(sandbox.BootstrapServers, ["-L", "-J", .. sasl, "-X", $"sasl.password={SecureSandbox.Password}"]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(3, JsonDocument.Parse(ok.StandardOutput).RootElement.GetProperty("brokers").GetArrayLength());

        var clock = Stopwatch.StartNew();
        var refused = await KcatAsync(sandbox.BootstrapServers, ["-L", .. sasl, "-X", $"sasl.password={SecureSandbox.WrongPassword}"], metadataTimeoutSeconds: 3);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.False(refused.TimedOut);
        Assert.True(clock.Elapsed < Scenario.WrongPasswordBound, $"took {clock.Elapsed}");
        Assert.Contains(expectedReason, refused.StandardError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs kcat. librdkafka treats an authentication or TLS failure as transient and keeps retrying, so a
    /// refused kcat gives up when its metadata timeout (-m) ends: refusals use a short one.
    /// </summary>
    private static Task<ExternalProcess.Result> KcatAsync(string bootstrap, string[] arguments, byte[]? input = null, int metadataTimeoutSeconds = 10) =>
        ExternalProcess.RunAsync(Clients.Kcat, ["-b", bootstrap, "-m", metadataTimeoutSeconds.ToString(CultureInfo.InvariantCulture), .. arguments], Clients.Timeout, input);

    private sealed record ExactRecord(long Offset, long Timestamp, string Headers, byte[]? Key, byte[]? Value);

    /// <summary>Parses records printed with "%o|%T|%h|%K:%k%R%s" (no separator after the payload: lengths delimit it).</summary>
    private static List<ExactRecord> ParseExact(byte[] output)
    {
        var records = new List<ExactRecord>();
        var at = 0;
        string Field(char end)
        {
            var stop = Array.IndexOf(output, (byte)end, at);
            Assert.True(stop >= 0, $"malformed kcat output at byte {at}");
            var text = Encoding.UTF8.GetString(output, at, stop - at);
            at = stop + 1;
            return text;
        }
        while (at < output.Length)
        {
            var offset = long.Parse(Field('|'), CultureInfo.InvariantCulture);
            var timestamp = long.Parse(Field('|'), CultureInfo.InvariantCulture);
            var headers = Field('|');
            var keyLength = int.Parse(Field(':'), CultureInfo.InvariantCulture);
            byte[]? key = keyLength < 0 ? null : output[at..(at + keyLength)];
            at += Math.Max(keyLength, 0);
            var valueLength = BinaryPrimitives.ReadInt32BigEndian(output.AsSpan(at));
            at += 4;
            byte[]? value = valueLength < 0 ? null : output[at..(at + valueLength)];
            at += Math.Max(valueLength, 0);
            records.Add(new ExactRecord(offset, timestamp, headers, key, value));
        }
        return records;
    }

    private static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    private static async Task ProduceAsync(string bootstrap, string topic, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build();
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                await producer.ProduceAsync(new TopicPartition(topic, p), new Message<string, string>
                {
                    Key = $"key-{p}-{i}",
                    Value = string.Create(CultureInfo.InvariantCulture, $"value-{p}-{i}"),
                });
            }
        }
    }

    private static async Task<long[]> CommittedAsync(string bootstrap, string group, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var result = Assert.Single(await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(group, null)]));
        Assert.Equal(partitions, result.Partitions.Count);
        return result.Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value).ToArray();
    }
}
