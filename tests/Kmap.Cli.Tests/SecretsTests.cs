using System.Text;
using Confluent.Kafka;
using Kmap.Cli.Tests.Support;
using Kmap.Core.Backup;
using Kmap.Core.Model;
using Kmap.Sandbox;
using Kmap.Sandbox.Groups;

namespace Kmap.Cli.Tests;

/// <summary>
/// Every command that takes credentials, run as the real kmap process against a SASL sandbox with a distinctive
/// password (from the flag, KMAP_SASL_PASSWORD, a -command-config file or a context's password variable), with
/// the right and a wrong password: the password (and its base64) appears in no stdout, no stderr and no file written.
/// </summary>
public class SecretsTests
{
    private const string User = "kmap-operator";
    private const string Password = "Pw-7rZq!x9#S3cret";
    private const string WrongPassword = "Wr0ng-Pw-4c1d!zz";
    private const string Mechanism = "SCRAM-SHA-256";

    /// <summary>Command lines; @B is the bootstrap list, @AUTH the credentials in the form the row names, @CC the client.properties file.</summary>
    public static IEnumerable<TheoryDataRow<string, string, string[]>> Commands() =>
    [
        new("compat backup + script + map", "flag-go", ["-brokers", "@B", "@AUTH", "-save-offsets", "saved.json", "-restore-offsets-script", "restore.sh", "-output", "json", "-html", "map.html"]),
        new("compat backup", "env-go", ["-brokers", "@B", "@AUTH", "-save-offsets", "saved.json"]),
        new("compat backup", "command-config-go", ["-brokers", "@B", "-command-config", "@CC", "-save-offsets", "saved.json"]),
        new("backup", "flag", ["backup", "--brokers", "@B", "@AUTH", "--no-timestamps", "-o", "backup.json"]),
        new("backup", "env", ["backup", "--brokers", "@B", "@AUTH", "--no-timestamps", "-o", "backup.json"]),
        new("backup with timestamps", "command-config", ["backup", "--brokers", "@B", "--command-config", "@CC", "-o", "backup.json"]),
        new("restore plan", "flag", ["restore", "--brokers", "@B", "@AUTH", "--from", "offsets.json", "--overwrite", "--plan-json", "plan.json"]),
        new("restore execute", "env", ["restore", "--brokers", "@B", "@AUTH", "--from", "offsets.json", "--overwrite", "--rollback-file", "rollback.json", "--execute"]),
        new("verify", "command-config", ["verify", "--brokers", "@B", "--command-config", "@CC", "--from", "current.json"]),
        new("report", "flag", ["report", "--bootstrap-server", "@B", "@AUTH", "-o", "cluster.json", "--html", "report.html"]),
        new("compare", "command-config", ["compare", "--source-brokers", "@B", "--target-brokers", "@B", "--source-command-config", "@CC", "--target-command-config", "@CC"]),
        new("consumer-groups --list", "command-config", ["consumer-groups", "--bootstrap-server", "@B", "--command-config", "@CC", "--list"]),
        new("consumer-groups --describe", "command-config", ["consumer-groups", "--bootstrap-server", "@B", "--command-config", "@CC", "--describe", "--all-groups"]),
        new("consumer-groups --reset-offsets", "command-config", ["consumer-groups", "--bootstrap-server", "@B", "--command-config", "@CC", "--reset-offsets", "--group", "group-00", "--topic", "orders", "--to-earliest", "--execute"]),
        new("sync --once", "command-config", ["sync", "--source-brokers", "@B", "--target-brokers", "@B", "--source-command-config", "@CC", "--target-command-config", "@CC", "--once"]),
        new("topic-sizes", "flag", ["topic-sizes", "--bootstrap-server", "@B", "@AUTH", "-o", "sizes.json"]),
    ];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task No_output_or_file_shows_the_password_with_the_right_or_a_wrong_one(string command, string credentials, string[] template)
    {
        await using var sandbox = await StartAsync();
        foreach (var password in new[] { Password, WrongPassword })
        {
            using var dir = new TempDirectory();
            await PrepareAsync(dir, sandbox, password);
            var (args, environment) = Expand(template, credentials, sandbox.BootstrapServers, password, dir);

            var run = await KmapBinary.RunAsync(dir.Path, environment, args);

            var where = $"{command} ({credentials}, {(password == Password ? "right" : "wrong")} password)";
            if (password == Password)
            {
                Assert.True(run.ExitCode == 0, $"{where}: {run}");
            }
            else
            {
                Assert.True(run.ExitCode != 0, $"{where}: {run}");
                Assert.Contains("auth", run.Stderr, StringComparison.OrdinalIgnoreCase);
            }
            AssertNoSecret(where, run, dir);
        }
    }

    [Fact]
    public async Task The_generated_restore_script_and_a_context_with_a_password_variable_keep_the_password_out()
    {
        await using var sandbox = await StartAsync();
        using var dir = new TempDirectory();
        await PrepareAsync(dir, sandbox, Password);
        var environment = new Dictionary<string, string?>
        {
            ["KMAP_CONFIG"] = dir.File("kmap-config.yaml"),
            ["PROD_KAFKA_PASSWORD"] = Password,
            ["KMAP_SASL_PASSWORD"] = null,
        };

        var backup = await KmapBinary.RunAsync(dir.Path, environment, "-brokers", sandbox.BootstrapServers, "-command-config", dir.File("client.properties"),
            "-save-offsets", "saved.json", "-restore-offsets-script", "restore.sh");
        var script = await ProcessRunner.RunAsync("bash", ["./restore.sh"], environment: new Dictionary<string, string?>(environment)
        {
            ["BOOTSTRAP_SERVERS"] = sandbox.BootstrapServers,
            ["COMMAND_CONFIG"] = "--command-config " + dir.File("client.properties"),
            ["KAFKA_CONSUMER_GROUPS"] = null,
        }, workingDirectory: dir.Path);
        var add = await KmapBinary.RunAsync(dir.Path, environment, "config", "add", "prod", "--brokers", sandbox.BootstrapServers, "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", Mechanism, "--sasl-username", User, "--password-env", "PROD_KAFKA_PASSWORD", "--use");
        var show = await KmapBinary.RunAsync(dir.Path, environment, "config", "show");
        var showJson = await KmapBinary.RunAsync(dir.Path, environment, "config", "show", "--format", "json");
        var list = await KmapBinary.RunAsync(dir.Path, environment, "--context", "prod", "consumer-groups", "--list");

        foreach (var (name, run) in new[] { ("backup", backup), ("restore.sh", script), ("config add", add), ("config show", show), ("config show --format json", showJson), ("consumer-groups --context", list) })
        {
            Assert.True(run.ExitCode == 0, $"{name}: {run}");
            AssertNoSecret(name, run, dir);
        }
        Assert.Contains("group-00", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("PROD_KAFKA_PASSWORD", show.Stdout + showJson.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("consumer-groups", "--list", "--sasl-password")]
    [InlineData("backup", "-o", "--sasl-pasword")]
    [InlineData("-brokers", "127.0.0.1:1", "-sasl-passwd")]
    [InlineData("consumer-groups", "--list", "--sasl-password=")]
    public async Task A_password_given_where_it_does_not_belong_is_not_repeated_in_the_usage_error(string first, string second, string flag)
    {
        using var dir = new TempDirectory();
        string[] args = flag.EndsWith('=') ? [first, second, flag + Password] : [first, second, flag, Password];

        var run = await KmapBinary.RunAsync(dir.Path, new Dictionary<string, string?> { ["KMAP_SASL_PASSWORD"] = null }, args);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(Password, run.Stderr + run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(hidden)", run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<SandboxCluster> StartAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions
        {
            BrokerCount = 2,
            SaslMechanisms = [Mechanism],
            Users = new Dictionary<string, string> { [User] = Password },
        }, cancellationToken: TestContext.Current.CancellationToken);
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("orders", 3, 1);
        }
        // Real records, not a high watermark set by hand: a log that claims offsets it cannot serve leaves a record
        // reader (backup's timestamps, sync's translation) fetching nothing until it times out.
        ProduceOverSasl(sandbox.BootstrapServers, "orders", 3, 200);
        lock (sandbox.State.Sync)
        {
            for (var g = 0; g < 3; g++)
            {
                sandbox.State.Groups.RestoreOffsets($"group-{g:D2}", "consumer", [.. Enumerable.Range(0, 3).Select(p => new PartitionCommit("orders", p, 10 * g + p, -1, "", 0))]);
            }
        }
        return sandbox;
    }

    private static void ProduceOverSasl(string bootstrap, string topic, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = User,
            SaslPassword = Password,
            LingerMs = 1,
        }).Build();
        var start = new DateTimeOffset(2026, 1, 20, 12, 0, 0, TimeSpan.Zero);
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                producer.Produce(new Confluent.Kafka.TopicPartition(topic, p), new Message<Null, string>
                {
                    Value = $"order-{p}-{i}",
                    Timestamp = new Timestamp(start.AddSeconds(i).UtcDateTime, TimestampType.CreateTime),
                });
            }
        }
        producer.Flush(TestContext.Current.CancellationToken);
    }

    /// <summary>The inputs a command may read: a backup, and a client.properties holding the password (the one file allowed to).</summary>
    private static async Task PrepareAsync(TempDirectory dir, SandboxCluster sandbox, string password)
    {
        var now = new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero);
        var backup = new OffsetBackup(now, sandbox.BootstrapServers, [.. Enumerable.Range(0, 3).Select(g =>
            new GroupOffsets($"group-{g:D2}", [.. Enumerable.Range(0, 3).Select(p => new BackedUpOffset("orders", p, 100 + g + p))], now))]);
        await File.WriteAllTextAsync(dir.File("offsets.json"), OffsetBackupJson.Serialize(backup), TestContext.Current.CancellationToken);
        // What the cluster holds (verify passes on it).
        var current = backup with { ConsumerGroups = [.. backup.ConsumerGroups.Select((g, i) => g with { Offsets = [.. Enumerable.Range(0, 3).Select(p => new BackedUpOffset("orders", p, 10 * i + p))] })] };
        await File.WriteAllTextAsync(dir.File("current.json"), OffsetBackupJson.Serialize(current), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("client.properties"),
            $"security.protocol=SASL_PLAINTEXT\nsasl.mechanism={Mechanism}\n"
            + $"sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"{User}\" password=\"{password}\";\n",
            TestContext.Current.CancellationToken);
    }

    private static (string[] Args, Dictionary<string, string?> Environment) Expand(string[] template, string credentials, string bootstrap, string password, TempDirectory dir)
    {
        var goStyle = credentials.EndsWith("-go", StringComparison.Ordinal);
        var dash = goStyle ? "-" : "--";
        var environment = new Dictionary<string, string?> { ["KMAP_SASL_PASSWORD"] = null, ["KMAP_CONFIG"] = dir.File("kmap-config.yaml") };
        var auth = new List<string> { dash + "security-protocol", "SASL_PLAINTEXT", dash + "sasl-mechanism", Mechanism, dash + "sasl-username", User };
        if (credentials.StartsWith("flag", StringComparison.Ordinal))
        {
            auth.AddRange([dash + "sasl-password", password]);
        }
        else
        {
            environment["KMAP_SASL_PASSWORD"] = password;
        }
        var args = template.SelectMany(a => a switch
        {
            "@AUTH" => auth,
            "@B" => [bootstrap],
            "@CC" => [dir.File("client.properties")],
            _ => (IEnumerable<string>)[a],
        }).ToArray();
        return (args, environment);
    }

    private static void AssertNoSecret(string where, ProcessRunner.Result run, TempDirectory dir)
    {
        foreach (var secret in new[] { Password, WrongPassword })
        {
            string[] forms = [secret, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0{secret}")),
                Uri.EscapeDataString(secret)];
            foreach (var form in forms)
            {
                Assert.False(run.Stdout.Contains(form, StringComparison.Ordinal), $"{where}: stdout shows the password ({form})\n{run}");
                Assert.False(run.Stderr.Contains(form, StringComparison.Ordinal), $"{where}: stderr shows the password ({form})\n{run}");
                foreach (var file in Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != "client.properties"))
                {
                    Assert.False(File.ReadAllText(file).Contains(form, StringComparison.Ordinal), $"{where}: {Path.GetFileName(file)} holds the password ({form})");
                }
            }
        }
    }
}
