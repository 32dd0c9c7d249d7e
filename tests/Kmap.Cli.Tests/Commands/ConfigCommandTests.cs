using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>`kmap config` and --context: contexts are written once, used by every command, and never print a secret.</summary>
public class ConfigCommandTests
{
    private static async Task<CliRun.Result> RunAsync(Dictionary<string, string> env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await KmapApp.RunAsync(args, new CliContext(stdout, stderr, n => env.GetValueOrDefault(n)), TestContext.Current.CancellationToken);
        return new CliRun.Result(exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Add_use_list_and_show_and_show_never_prints_the_password()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("staging.pw"), "file-secret-42\n");
        var env = new Dictionary<string, string> { ["KMAP_CONFIG"] = dir.File("kmap/config.yaml"), ["PROD_PW"] = "env-secret-17", ["KMAP_SASL_PASSWORD"] = "fallback-secret-9" };

        Assert.Equal(0, (await RunAsync(env, "config", "add", "prod", "--brokers", "k1:9093,k2:9093", "--security-protocol", "sasl_ssl",
            "--sasl-mechanism", "scram-sha-512", "--sasl-username", "kmap", "--password-env", "PROD_PW")).ExitCode);
        Assert.Equal(0, (await RunAsync(env, "config", "add", "staging", "--brokers", "s:9092", "--sasl-username", "st", "--password-file", dir.File("staging.pw"))).ExitCode);
        var use = await RunAsync(env, "config", "use", "staging");
        var list = await RunAsync(env, "config", "list");
        var json = await RunAsync(env, "config", "list", "--format", "json");
        var names = await RunAsync(env, "config", "list", "--names");
        var shows = new[]
        {
            await RunAsync(env, "config", "show", "prod"),
            await RunAsync(env, "config", "show"),
            await RunAsync(env, "config", "show", "prod", "--format", "json"),
            await RunAsync(env, "config", "show", "staging", "--format", "json"),
        };

        Assert.True(use.ExitCode == 0, use.ToString());
        Assert.Matches(@"(?m)^\s+prod\s+k1:9093,k2:9093\s+SASL_SSL SCRAM-SHA-512 user=kmap$", list.Stdout);
        Assert.Matches(@"(?m)^\*\s+staging\s+s:9092", list.Stdout);
        Assert.Contains("\"current_context\": \"staging\"", json.Stdout, StringComparison.Ordinal);
        Assert.Equal("prod\nstaging\n", names.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("from $PROD_PW (set, hidden)", shows[0].Stdout, StringComparison.Ordinal);
        Assert.Contains("staging (current)", shows[1].Stdout, StringComparison.Ordinal);
        Assert.Contains("\"password_env\": \"PROD_PW\"", shows[2].Stdout, StringComparison.Ordinal);
        var everything = string.Concat(new[] { list, json, names }.Concat(shows).Select(r => r.ToString())) + File.ReadAllText(env["KMAP_CONFIG"]);
        foreach (var secret in new[] { "env-secret-17", "file-secret-42", "fallback-secret-9" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_contexts_and_a_clear_password_in_the_file_are_usage_errors()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["KMAP_CONFIG"] = dir.File("config.yaml") };
        await RunAsync(env, "config", "add", "a", "--brokers", "a:1");

        var use = await RunAsync(env, "config", "use", "b");
        var list = await RunAsync(env, "consumer-groups", "--context", "b", "--list");
        var both = await RunAsync(env, "config", "add", "c", "--brokers", "c:1", "--password-env", "X", "--password-file", "/f");
        File.WriteAllText(env["KMAP_CONFIG"], "contexts:\n  a:\n    brokers: a:1\n    password: hunter2\n");
        var clear = await RunAsync(env, "config", "list");

        Assert.Equal(2, use.ExitCode);
        Assert.Contains("no context 'b'", use.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, list.ExitCode);
        Assert.Contains("no context 'b'", list.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Equal(2, clear.ExitCode);
        Assert.Contains("never holds a password", clear.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", clear.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_binary_backs_up_and_lists_groups_of_the_cluster_a_context_names()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 1, 5);
        await KafkaPython.CommitAsync(sandbox.BootstrapServers, "ctx-group", ("orders", 0, 3));
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["KMAP_CONFIG"] = dir.File("config.yaml"), ["KMAP_BROKERS"] = "127.0.0.1:1", ["KMAP_CONTEXT"] = null };

        var add = await KmapBinary.RunAsync(dir.Path, env, "config", "add", "sb", "--brokers", sandbox.BootstrapServers);
        var backup = await KmapBinary.RunAsync(dir.Path, env, "--context", "sb", "-save-offsets", "offsets.json");
        var list = await KmapBinary.RunAsync(dir.Path, env, "consumer-groups", "--list", "--context", "sb");
        var leading = await KmapBinary.RunAsync(dir.Path, env, "--context", "sb", "consumer-groups", "--list");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Matches("\"cluster\":\\s*\"" + System.Text.RegularExpressions.Regex.Escape(sandbox.BootstrapServers) + "\"", File.ReadAllText(dir.File("offsets.json")));
        Assert.Contains("ctx-group", File.ReadAllText(dir.File("offsets.json")), StringComparison.Ordinal);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Equal("ctx-group", list.Stdout.Trim());
        Assert.Equal(list.Stdout, leading.Stdout);
    }

    [Fact]
    public async Task Backup_restore_and_report_take_the_cluster_from_the_context_when_no_broker_flag_is_given()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        using (var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = sandbox.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = "ctx-orders", NumPartitions = 1, ReplicationFactor = 1 }]);
            await admin.AlterConsumerGroupOffsetsAsync([new Confluent.Kafka.ConsumerGroupTopicPartitionOffsets("ctx-group", [new Confluent.Kafka.TopicPartitionOffset("ctx-orders", 0, 0)])]);
        }
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string> { ["KMAP_CONFIG"] = dir.File("config.yaml") };
        Assert.Equal(0, (await RunAsync(env, "config", "add", "sandbox", "--brokers", sandbox.BootstrapServers)).ExitCode);

        // The guide's newcomer line: one config step, then --context in front of a sub-command.
        var backup = await RunAsync(env, "--context", "sandbox", "backup", "-o", dir.File("x.json"));
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("\"ctx-group\"", File.ReadAllText(dir.File("x.json")), StringComparison.Ordinal);
        var verify = await RunAsync(env, "verify", "--context", "sandbox", "--from", dir.File("x.json"));
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
