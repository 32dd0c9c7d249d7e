using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Conformance.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Conformance.Tests;

/// <summary>Confluent.Kafka (librdkafka 2.16), in-process.</summary>
public class ConfluentTests
{
    private const string Client = "Confluent.Kafka";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Metadata_of_a_three_broker_cluster(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.Metadata, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        using var admin = Admin(sandbox.BootstrapServers);
        var metadata = admin.GetMetadata(Wait);
        Assert.Equal(
            sandbox.State.Brokers.Select(b => (b.Id, b.Port)).OrderBy(b => b.Id),
            metadata.Brokers.Select(b => (b.BrokerId, b.Port)).OrderBy(b => b.BrokerId));
        Assert.All(metadata.Brokers, b => Assert.Equal(sandbox.Options.Host, b.Host));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Create_topic(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.CreateTopic, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        using var admin = Admin(sandbox.BootstrapServers);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 5, ReplicationFactor = 1 }]);
        var topic = admin.GetMetadata("orders", Wait).Topics.Single();
        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        Assert.Equal(Enumerable.Range(0, 5), topic.Partitions.Select(p => p.PartitionId).Order());
        var again = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = "orders", NumPartitions = 5, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, again.Results.Single().Error.Code);
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Produce_and_consume_keys_headers_timestamps_byte_for_byte(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ProduceConsume, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "bytes", 2);
        var sent = SampleMessages();
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = sandbox.BootstrapServers, LingerMs = 5 }).Build())
        {
            foreach (var (partition, message) in sent)
            {
                await producer.ProduceAsync(new TopicPartition("bytes", partition), message);
            }
        }

        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerConfig(sandbox.BootstrapServers, "unused")).Build();
        consumer.Assign([new TopicPartitionOffset("bytes", 0, Offset.Beginning), new TopicPartitionOffset("bytes", 1, Offset.Beginning)]);
        var received = ConsumeAll(consumer, sent.Count);
        foreach (var partition in new[] { 0, 1 })
        {
            var expected = sent.Where(s => s.Partition == partition).Select(s => s.Message).ToList();
            var actual = received.Where(r => r.Partition.Value == partition).ToList();
            Assert.Equal(Enumerable.Range(0, expected.Count).Select(i => (long)i), actual.Select(r => r.Offset.Value));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Key, actual[i].Message.Key);
                Assert.Equal(expected[i].Value, actual[i].Message.Value);
                Assert.Equal(TimestampType.CreateTime, actual[i].Message.Timestamp.Type);
                Assert.Equal(expected[i].Timestamp.UnixTimestampMs, actual[i].Message.Timestamp.UnixTimestampMs);
                Assert.Equal(
                    expected[i].Headers.Select(h => (h.Key, Convert.ToHexString(h.GetValueBytes() ?? []))),
                    actual[i].Message.Headers.Select(h => (h.Key, Convert.ToHexString(h.GetValueBytes() ?? []))));
            }
        }
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Group_consume_with_subscribe_rebalance_and_commit(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.GroupConsume, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "work", 4);
        await ProduceAsync(sandbox.BootstrapServers, "work", 4, 10);

        using var first = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "workers")).Build();
        first.Subscribe("work");
        var seen = new List<ConsumeResult<string, string>>();
        await PollUntilAsync([first], seen, () => first.Assignment.Count == 4, "first consumer to own all 4 partitions");

        using var second = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "workers")).Build();
        second.Subscribe("work");
        await PollUntilAsync([first, second], seen,
            () => first.Assignment.Count == 2 && second.Assignment.Count == 2,
            "the rebalance to give each consumer 2 partitions");
        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        await PollUntilAsync([first, second], seen, () => seen.Select(r => r.TopicPartitionOffset).Distinct().Count() == 40, "all 40 records");

        foreach (var consumer in new[] { first, second })
        {
            consumer.Commit();
            var committed = consumer.Committed(consumer.Assignment, Wait);
            Assert.All(committed, c => Assert.Equal(10, c.Offset.Value));
        }
        first.Close();
        second.Close();
    });

    [Fact]
    public Task Consumer_protocol_group_consumes_commits_and_is_listed_and_described() => ConformanceMatrix.RunAsync(Client, Scenario.ConsumerProtocolGroup, async () =>
    {
        // A fast heartbeat interval (Kafka's default is 5 s) so that the handover of partitions takes a second, not ten.
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            BrokerCount = 3,
            Groups = new Kmap.Sandbox.Groups.GroupSettings { ConsumerHeartbeatIntervalMs = 300 },
        });
        await CreateTopicAsync(sandbox.BootstrapServers, "work848", 4);
        await ProduceAsync(sandbox.BootstrapServers, "work848", 4, 10);
        ConsumerConfig NextGen() => new()
        {
            BootstrapServers = sandbox.BootstrapServers,
            GroupId = "next-gen",
            GroupProtocol = GroupProtocol.Consumer,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        };

        using var first = new ConsumerBuilder<string, string>(NextGen()).Build();
        first.Subscribe("work848");
        var seen = new List<ConsumeResult<string, string>>();
        await PollUntilAsync([first], seen, () => first.Assignment.Count == 4, "first consumer to own all 4 partitions");

        using var second = new ConsumerBuilder<string, string>(NextGen()).Build();
        second.Subscribe("work848");
        await PollUntilAsync([first, second], seen,
            () => first.Assignment.Count == 2 && second.Assignment.Count == 2,
            "the coordinator to move 2 partitions to the second consumer");
        Assert.Empty(first.Assignment.Intersect(second.Assignment));
        await PollUntilAsync([first, second], seen, () => seen.Select(r => r.TopicPartitionOffset).Distinct().Count() == 40, "all 40 records");
        foreach (var consumer in new[] { first, second })
        {
            consumer.Commit();
            Assert.All(consumer.Committed(consumer.Assignment, Wait), c => Assert.Equal(10, c.Offset.Value));
        }

        using var admin = Admin(sandbox.BootstrapServers);
        var listed = (await admin.ListConsumerGroupsAsync()).Valid.Single(g => g.GroupId == "next-gen");
        Assert.Equal(ConsumerGroupType.Consumer, listed.Type);
        Assert.Equal(ConsumerGroupState.Stable, listed.State);
        var described = (await admin.DescribeConsumerGroupsAsync(["next-gen"])).ConsumerGroupDescriptions.Single();
        Assert.Equal(ConsumerGroupType.Consumer, described.GroupType);
        Assert.Equal(2, described.Members.Count);
        Assert.All(described.Members, m => Assert.Equal(2, m.Assignment.TopicPartitions.Count));

        first.Close();
        second.Close();
        var offsets = (await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("next-gen", null)])).Single();
        Assert.Equal([10L, 10L, 10L, 10L], offsets.Partitions.OrderBy(p => p.Partition.Value).Select(p => p.Offset.Value));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Restarted_consumer_resumes_at_committed_offset(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ResumeAtCommitted, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "resume", 1);
        await ProduceAsync(sandbox.BootstrapServers, "resume", 1, 10);
        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "resumers")).Build())
        {
            consumer.Subscribe("resume");
            var seen = new List<ConsumeResult<string, string>>();
            await PollUntilAsync([consumer], seen, () => seen.Count >= 4, "4 records");
            consumer.Commit([new TopicPartitionOffset("resume", 0, 4)]);
            consumer.Close();
        }
        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "resumers")).Build())
        {
            consumer.Subscribe("resume");
            var seen = new List<ConsumeResult<string, string>>();
            await PollUntilAsync([consumer], seen, () => seen.Count >= 1, "the first record after the restart");
            Assert.Equal(4, seen[0].Offset.Value);
            Assert.Equal("value-0-4", seen[0].Message.Value);
            consumer.Close();
        }
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task List_and_describe_groups(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.ListDescribeGroups, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "listed", 3);
        using var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "described")).Build();
        consumer.Subscribe("listed");
        await PollUntilAsync([consumer], [], () => consumer.Assignment.Count == 3, "the assignment");

        using var admin = Admin(sandbox.BootstrapServers);
        var listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = Wait });
        var group = Assert.Single(listed.Valid, g => g.GroupId == "described");
        Assert.Equal(ConsumerGroupState.Stable, group.State);
        Assert.False(group.IsSimpleConsumerGroup);

        var described = Assert.Single((await admin.DescribeConsumerGroupsAsync(["described"])).ConsumerGroupDescriptions);
        Assert.Equal(ConsumerGroupState.Stable, described.State);
        Assert.Equal("range", described.PartitionAssignor);
        var member = Assert.Single(described.Members);
        Assert.Equal(consumer.MemberId, member.ConsumerId);
        Assert.Equal([0, 1, 2], member.Assignment.TopicPartitions.Where(tp => tp.Topic == "listed").Select(tp => tp.Partition.Value).Order());
        consumer.Close();
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Fetch_committed_offsets(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.FetchCommittedOffsets, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "fetched", 3);
        await ProduceAsync(sandbox.BootstrapServers, "fetched", 3, 5);
        using (var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "fetchers")).Build())
        {
            consumer.Subscribe("fetched");
            await PollUntilAsync([consumer], [], () => consumer.Assignment.Count == 3, "the assignment");
            consumer.Commit([new TopicPartitionOffset("fetched", 0, 1), new TopicPartitionOffset("fetched", 1, 5), new TopicPartitionOffset("fetched", 2, 3)]);
            consumer.Close();
        }
        using var admin = Admin(sandbox.BootstrapServers);
        var result = Assert.Single(await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("fetchers", null)]));
        Assert.Equal(
            [("fetched", 0, 1L), ("fetched", 1, 5L), ("fetched", 2, 3L)],
            result.Partitions.Select(p => (p.Topic, p.Partition.Value, p.Offset.Value)).OrderBy(p => p.Item2));
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Admin_commit_without_joining(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.AdminCommit, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "restored", 2);
        await ProduceAsync(sandbox.BootstrapServers, "restored", 2, 8);
        using var admin = Admin(sandbox.BootstrapServers);
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("restored-group",
            [new TopicPartitionOffset("restored", 0, 3), new TopicPartitionOffset("restored", 1, 7)])]);
        var result = Assert.Single(await admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions("restored-group", null)]));
        Assert.Equal([(0, 3L), (1, 7L)], result.Partitions.Select(p => (p.Partition.Value, p.Offset.Value)).Order());

        // A consumer of that group starts where the admin put it.
        using var consumer = new ConsumerBuilder<string, string>(ConsumerConfig(sandbox.BootstrapServers, "restored-group")).Build();
        consumer.Subscribe("restored");
        var seen = new List<ConsumeResult<string, string>>();
        await PollUntilAsync([consumer], seen, () => seen.Count >= 6, "the records after the restored offsets");
        Assert.Equal(3, seen.Where(r => r.Partition.Value == 0).Min(r => r.Offset.Value));
        Assert.Equal(7, seen.Where(r => r.Partition.Value == 1).Min(r => r.Offset.Value));
        consumer.Close();
    });

    [Theory]
    [MemberData(nameof(Scenario.KafkaVersions), MemberType = typeof(Scenario))]
    public Task Delete_group(string kafkaVersion) => ConformanceMatrix.RunAsync(Client, Scenario.On(Scenario.DeleteGroup, kafkaVersion), async () =>
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3, KafkaVersion = kafkaVersion });
        await CreateTopicAsync(sandbox.BootstrapServers, "doomed", 1);
        using var admin = Admin(sandbox.BootstrapServers);
        await admin.AlterConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitionOffsets("doomed-group", [new TopicPartitionOffset("doomed", 0, 0)])]);
        var listed = await admin.ListConsumerGroupsAsync();
        Assert.Contains(listed.Valid, g => g.GroupId == "doomed-group");

        await admin.DeleteGroupsAsync(["doomed-group"]);
        listed = await admin.ListConsumerGroupsAsync();
        Assert.DoesNotContain(listed.Valid, g => g.GroupId == "doomed-group");
        var again = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["doomed-group"]));
        Assert.Equal(ErrorCode.GroupIdNotFound, again.Results.Single().Error.Code);
    });

    [Fact]
    public Task Sasl_plain_right_and_wrong_password() => ConformanceMatrix.RunAsync(Client, Scenario.SaslPlain, () => SaslAsync("PLAIN", SaslMechanism.Plain));

    [Fact]
    public Task Sasl_scram_sha_512_right_and_wrong_password() => ConformanceMatrix.RunAsync(Client, Scenario.SaslScram512, () => SaslAsync("SCRAM-SHA-512", SaslMechanism.ScramSha512));

    /// <summary>Not in the matrix (one SCRAM row is enough there) but the other hash must work too.</summary>
    [Fact]
    public Task Sasl_scram_sha_256_right_and_wrong_password() => SaslAsync("SCRAM-SHA-256", SaslMechanism.ScramSha256);

    [Fact]
    public Task Tls_with_the_test_ca() => ConformanceMatrix.RunAsync(Client, Scenario.Tls, async () =>
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartTlsAsync(certificates, requireClientCertificate: false, brokers: 3);
        using (var admin = Admin(sandbox.BootstrapServers, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = certificates.CaFile;
        }))
        {
            Assert.Equal(3, admin.GetMetadata(Wait).Brokers.Count);
        }

        // Trusting another CA must fail the handshake, quickly and visibly.
        var error = await FirstErrorAsync(sandbox.BootstrapServers, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = certificates.OtherCaFile;
        }, e => e.Code == ErrorCode.Local_Ssl);
        Assert.Contains("certificate verify failed", error.Reason, StringComparison.OrdinalIgnoreCase);
    });

    [Fact]
    public Task Mutual_tls_rejects_a_client_without_certificate() => ConformanceMatrix.RunAsync(Client, Scenario.MutualTls, async () =>
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SecureSandbox.StartTlsAsync(certificates, requireClientCertificate: true);
        using (var admin = Admin(sandbox.BootstrapServers, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = certificates.CaFile;
            c.SslCertificateLocation = certificates.ClientCertificateFile;
            c.SslKeyLocation = certificates.ClientKeyFile;
        }))
        {
            Assert.Single(admin.GetMetadata(Wait).Brokers);
        }

        // Under TLS 1.3 the refusal may arrive after the client's side of the handshake: an SSL error or a dropped connection.
        var error = await FirstErrorAsync(sandbox.BootstrapServers, c =>
        {
            c.SecurityProtocol = SecurityProtocol.Ssl;
            c.SslCaLocation = certificates.CaFile;
        }, e => e.Code is ErrorCode.Local_Ssl or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown);
        Assert.False(string.IsNullOrEmpty(error.Reason));
    });

    [Fact]
    public async Task Sasl_ssl_combines_both()
    {
        using var certificates = TestCertificates.Create();
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            SaslMechanisms = ["SCRAM-SHA-256", "PLAIN"],
            Users = new Dictionary<string, string> { [SecureSandbox.User] = SecureSandbox.Password },
            TlsCertificateFile = certificates.BrokerCertificateFile,
            TlsKeyFile = certificates.BrokerKeyFile,
        });
        using var admin = Admin(sandbox.BootstrapServers, c =>
        {
            c.SecurityProtocol = SecurityProtocol.SaslSsl;
            c.SslCaLocation = certificates.CaFile;
            c.SaslMechanism = SaslMechanism.ScramSha256;
            c.SaslUsername = SecureSandbox.User;
            c.SaslPassword = SecureSandbox.Password;
        });
        Assert.Single(admin.GetMetadata(Wait).Brokers);
    }

    private static async Task SaslAsync(string mechanism, SaslMechanism clientMechanism)
    {
        await using var sandbox = await SecureSandbox.StartSaslAsync(mechanism, brokers: 3);
        void Configure(ClientConfig c, string password)
        {
            c.SecurityProtocol = SecurityProtocol.SaslPlaintext;
            c.SaslMechanism = clientMechanism;
            c.SaslUsername = SecureSandbox.User;
            c.SaslPassword = password;
        }
        using (var admin = Admin(sandbox.BootstrapServers, c => Configure(c, SecureSandbox.Password)))
        {
            Assert.Equal(3, admin.GetMetadata(Wait).Brokers.Count);
        }

        var clock = Stopwatch.StartNew();
        var error = await FirstErrorAsync(sandbox.BootstrapServers, c => Configure(c, SecureSandbox.WrongPassword), e => e.Code == ErrorCode.Local_Authentication);
        Assert.True(clock.Elapsed < Scenario.WrongPasswordBound, $"took {clock.Elapsed}");
        var expected = mechanism == "PLAIN"
            ? "Invalid username or password"
            : $"invalid credentials with SASL mechanism {mechanism}";
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts an admin client that cannot get in and returns the first error it reports that matches
    /// <paramref name="wanted"/> (librdkafka may also report e.g. "all brokers down" around it).
    /// </summary>
    private static async Task<Error> FirstErrorAsync(string bootstrap, Action<AdminClientConfig> configure, Func<Error, bool> wanted)
    {
        var found = new TaskCompletionSource<Error>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new List<string>();
        var config = new AdminClientConfig { BootstrapServers = bootstrap };
        configure(config);
        using var admin = new AdminClientBuilder(config)
            .SetErrorHandler((_, e) =>
            {
                lock (seen)
                {
                    seen.Add($"{e.Code}: {e.Reason}");
                }
                if (wanted(e))
                {
                    found.TrySetResult(e);
                }
            })
            .SetLogHandler((_, _) => { })
            .Build();
        var deadline = DateTime.UtcNow + Scenario.WrongPasswordBound;
        // Short metadata requests keep the client trying to connect until it reports why it cannot.
        while (!found.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            try
            {
                admin.GetMetadata(TimeSpan.FromMilliseconds(500));
                Assert.Fail("the client got metadata from a broker that should have refused it");
            }
            catch (KafkaException)
            {
                // Expected: the broker never lets this client in.
            }
        }
        try
        {
            return await found.Task.WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            lock (seen)
            {
                throw new TimeoutException($"no matching error within {Scenario.WrongPasswordBound.TotalSeconds:0}s; errors seen: {string.Join(" | ", seen)}");
            }
        }
    }

    private static IAdminClient Admin(string bootstrap, Action<AdminClientConfig>? configure = null)
    {
        var config = new AdminClientConfig { BootstrapServers = bootstrap };
        configure?.Invoke(config);
        return new AdminClientBuilder(config).Build();
    }

    private static ConsumerConfig ConsumerConfig(string bootstrap, string group) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = group,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        EnableAutoCommit = false,
        SessionTimeoutMs = 10000,
        HeartbeatIntervalMs = 500,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
    };

    private static async Task CreateTopicAsync(string bootstrap, string topic, int partitions)
    {
        using var admin = Admin(bootstrap);
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    private static async Task ProduceAsync(string bootstrap, string topic, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build();
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                producer.Produce(new TopicPartition(topic, p), new Message<string, string>
                {
                    Key = string.Create(CultureInfo.InvariantCulture, $"key-{p}-{i}"),
                    Value = string.Create(CultureInfo.InvariantCulture, $"value-{p}-{i}"),
                });
            }
        }
        Assert.Equal(0, producer.Flush(Wait));
        await Task.CompletedTask;
    }

    /// <summary>Keys and values that catch sloppy codecs: null, empty, binary with zeros, UTF-8, large; repeated header keys.</summary>
    private static List<(int Partition, Message<byte[]?, byte[]?> Message)> SampleMessages()
    {
        var baseTime = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds();
        var values = new byte[]?[] { [0, 1, 2, 255, 0], null, [], Encoding.UTF8.GetBytes("héllo wörld ✓"), new byte[70_000] };
        var keys = new byte[]?[] { Encoding.UTF8.GetBytes("k1"), null, [0xFF, 0x00], [], Encoding.UTF8.GetBytes("ключ") };
        var list = new List<(int, Message<byte[]?, byte[]?>)>();
        for (var i = 0; i < values.Length * 2; i++)
        {
            var headers = new Headers
            {
                { "trace", Encoding.UTF8.GetBytes("t-" + i.ToString(CultureInfo.InvariantCulture)) },
                { "empty", [] },
                { "trace", [0, 1] },
            };
            list.Add((i % 2, new Message<byte[]?, byte[]?>
            {
                Key = keys[i % keys.Length],
                Value = values[i % values.Length],
                Headers = headers,
                Timestamp = new Timestamp(baseTime + (i * 1000), TimestampType.CreateTime),
            }));
        }
        return list;
    }

    private static List<ConsumeResult<byte[]?, byte[]?>> ConsumeAll(IConsumer<byte[]?, byte[]?> consumer, int count)
    {
        var results = new List<ConsumeResult<byte[]?, byte[]?>>();
        var deadline = DateTime.UtcNow + Wait;
        while (results.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                results.Add(result);
            }
        }
        Assert.True(results.Count == count, $"consumed {results.Count} of {count} records within {Wait.TotalSeconds}s");
        return results;
    }

    /// <summary>Polls every consumer (which drives their rebalances) until the condition holds.</summary>
    private static async Task PollUntilAsync(IConsumer<string, string>[] consumers, List<ConsumeResult<string, string>> seen, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {Wait.TotalSeconds:0}s waiting for {what}");
            }
            foreach (var consumer in consumers)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false } result)
                {
                    seen.Add(result);
                }
            }
            await Task.Yield();
        }
    }
}
