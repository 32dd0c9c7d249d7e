using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.ClusterMap;

/// <summary>`kmap compare` with its own authentication per side: a plain source and a SASL target.</summary>
public class CompareAuthenticationTests
{
    private const string User = "migrator";
    private const string Password = "pw-target-only";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task CreateTopicsAsync(ClientConfig config, params string[] topics)
    {
        using var admin = new AdminClientBuilder(config).Build();
        await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification { Name = t, NumPartitions = 2, ReplicationFactor = 1 }));
    }

    private static async Task<CliRun.Result> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KmapApp.RunAsync(args, new CliContext(stdout, stderr, n => env.GetValueOrDefault(n)), Ct);
        return new CliRun.Result(exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Each_side_authenticates_with_its_own_context_command_config_or_flags()
    {
        await using var source = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        await using var target = await SandboxCluster.StartAsync(new SandboxOptions
        {
            BrokerCount = 1,
            SaslMechanisms = ["SCRAM-SHA-256"],
            Users = new Dictionary<string, string> { [User] = Password },
        }, cancellationToken: Ct);
        await CreateTopicsAsync(new AdminClientConfig { BootstrapServers = source.BootstrapServers }, "orders");
        await CreateTopicsAsync(new AdminClientConfig
        {
            BootstrapServers = target.BootstrapServers,
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.ScramSha256,
            SaslUsername = User,
            SaslPassword = Password,
        }, "orders", "audit");
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("target.properties"), $"security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.username={User}\nsasl.password={Password}\n");
        File.WriteAllText(dir.File("password"), Password + "\n");
        // A context and KMAP_BROKERS name one cluster: a side must not pick them up.
        var env = new Dictionary<string, string> { ["KMAP_CONFIG"] = dir.File("config.yaml"), ["KMAP_BROKERS"] = "127.0.0.1:1" };
        var add = await RunAsync(env, "config", "add", "dr", "--brokers", target.BootstrapServers, "--security-protocol", "SASL_PLAINTEXT",
            "--sasl-mechanism", "SCRAM-SHA-256", "--sasl-username", User, "--password-file", dir.File("password"));
        string[] plainSource = ["compare", "--source-brokers", source.BootstrapServers, "--skip", "messages,groups"];

        var byContext = await RunAsync(env, [.. plainSource, "--target-context", "dr", "--format", "json"]);
        var byCommandConfig = await RunAsync(env, [.. plainSource, "--target-brokers", target.BootstrapServers, "--target-command-config", dir.File("target.properties")]);
        var byFlags = await RunAsync(new(env) { ["KMAP_TARGET_SASL_PASSWORD"] = Password },
            [.. plainSource, "--target-brokers", target.BootstrapServers, "--target-sasl-mechanism", "SCRAM-SHA-256", "--target-sasl-username", User]);
        var oneClusterPassword = await RunAsync(new(env) { ["KMAP_SASL_PASSWORD"] = Password },
            [.. plainSource, "--target-brokers", target.BootstrapServers, "--target-sasl-username", User]);

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(byContext.ExitCode == 3, byContext.ToString());
        using (var json = JsonDocument.Parse(byContext.Stdout))
        {
            Assert.Equal(target.BootstrapServers, json.RootElement.GetProperty("target").GetString());
            var difference = Assert.Single(json.RootElement.GetProperty("differences").EnumerateArray());
            Assert.Equal(("topic", "audit", JsonValueKind.Null), (difference.GetProperty("kind").GetString(), difference.GetProperty("subject").GetString(), difference.GetProperty("source").ValueKind));
        }
        Assert.True(byCommandConfig.ExitCode == 3, byCommandConfig.ToString());
        Assert.Matches(@"\ntopic +audit +\(absent\) +present\n", byCommandConfig.Stdout);
        Assert.True(byFlags.ExitCode == 3, byFlags.ToString());
        Assert.Equal(byCommandConfig.Stdout, byFlags.Stdout);
        Assert.Equal(2, oneClusterPassword.ExitCode);
        Assert.Contains("the target: no SASL password: give --target-sasl-password or set KMAP_TARGET_SASL_PASSWORD", oneClusterPassword.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, byContext.Stdout + byContext.Stderr + byCommandConfig.Stderr + byFlags.Stderr + oneClusterPassword.Stderr, StringComparison.Ordinal);
    }
}
