using System.CommandLine;
using Kmap.Cli.Commands;
using Kmap.Cli.Commands.Completion;
using Kmap.Cli.Compat;
using Kmap.Cli.Tests.Support;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>One spelling for the brokers: every command that talks to a cluster takes -brokers, --brokers, --bootstrap-server and -b.</summary>
public class BrokerSpellingTests
{
    private static readonly string[] Spellings = ["-brokers", "--brokers", "--bootstrap-server", "-b"];

    /// <summary>Every visible command is one or the other, so a new command must say which it is.</summary>
    private static readonly string[] ClusterCommands =
        ["consumer-groups", "backup", "restore", "verify", "report", "topic-sizes", "topics", "recreate-topics", "config add"];

    private static readonly string[] OtherCommands =
        ["", "sandbox", "demo", "diff", "compare", "sync", "config", "config list", "config use", "config show", "config path", "completion", "docs", "docs cli"];

    private static Command Root() => KmapApp.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, _ => null)).Root;

    private static IReadOnlyList<string> Values(ParseResult result, string spelling) =>
        result.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
            .Where(o => CommandNode.Spellings(o.Option).Contains(spelling))
            .SelectMany(o => o.Tokens.Select(t => t.Value)).ToList();

    [Fact]
    public void Every_command_that_talks_to_a_cluster_takes_every_spelling_of_the_brokers()
    {
        var root = Root();
        var nodes = CommandNode.Walk(root);
        Assert.Equal(
            [.. ClusterCommands.Concat(OtherCommands).Order(StringComparer.Ordinal)],
            nodes.Select(n => n.Key).Order(StringComparer.Ordinal).ToList());

        foreach (var command in ClusterCommands)
        {
            var path = command.Split(' ');
            var options = new HashSet<Option>();
            foreach (var spelling in Spellings)
            {
                foreach (string[] words in (string[][])[[spelling, "h1:9092,h2:9092"], [$"{spelling}=h1:9092,h2:9092"]])
                {
                    var result = root.Parse([.. path, .. words], new ParserConfiguration { ResponseFileTokenReplacer = null });
                    Assert.DoesNotContain(result.Errors, e => e.Message.Contains(spelling, StringComparison.Ordinal) || e.Message.Contains("h1:9092", StringComparison.Ordinal));
                    Assert.True(Values(result, spelling).SequenceEqual(["h1:9092,h2:9092"]),
                        $"kmap {command} {string.Join(' ', words)}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
                    options.UnionWith(result.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Select(o => o.Option)
                        .Where(o => CommandNode.Spellings(o).Contains(spelling)));
                }
            }
            Assert.True(options.Count == 1, $"kmap {command}: the spellings are {options.Count} options, not one");
        }
    }

    [Fact]
    public void Compare_and_sync_take_each_sides_brokers_go_style_and_gnu_style()
    {
        var root = Root();
        foreach (var (command, side) in new[] { "compare", "sync" }.SelectMany(c => new[] { (c, "source"), (c, "target") }))
        {
            foreach (var spelling in new[] { $"--{side}-brokers", $"-{side}-brokers", $"--{side}-bootstrap-server", $"-{side}-bootstrap-server" })
            {
                var result = root.Parse([command, spelling, "h:1"]);
                Assert.DoesNotContain(result.Errors, e => e.Message.Contains(spelling, StringComparison.Ordinal) || e.Message.Contains("h:1", StringComparison.Ordinal));
                Assert.Equal(["h:1"], Values(result, spelling));
            }
        }
    }

    [Fact]
    public void The_sandbox_brokers_option_stays_the_broker_count()
    {
        var result = Root().Parse(["sandbox", "--brokers", "3"]);

        Assert.Empty(result.Errors);
        Assert.Equal(["3"], Values(result, "--brokers"));
        Assert.NotEmpty(Root().Parse(["sandbox", "-b", "3"]).Errors);
    }

    [Fact]
    public void The_go_style_mode_takes_every_spelling_too()
    {
        foreach (var spelling in Spellings)
        {
            var parsed = CompatCommandLine.Parse([spelling, "h1:9092", "-save-offsets", "o.json"]);
            Assert.Null(parsed.Error);
            Assert.Equal("h1:9092", parsed.Get(CompatFlags.Brokers));
        }
    }

    [Fact]
    public async Task A_usage_error_ends_with_the_commands_own_help_hint()
    {
        var restore = await CliRun.RunAsync("restore", "--brokers", "h:1", "--no-such-flag");
        var add = await CliRun.RunAsync("config", "add", "x", "-b");
        var groups = await CliRun.RunAsync("consumer-groups", "-b", "h:1", "--list", "--bogus");

        Assert.Equal(2, restore.ExitCode);
        Assert.EndsWith("Run 'kmap restore --help' for usage.\n", restore.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'kmap config add --help' for usage.\n", add.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("Run 'kmap consumer-groups --help' for usage.\n", groups.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("topics", "topics -b h:1")]
    [InlineData("compare", "compare")]
    [InlineData("report", "report -brokers h:1 --json --format table")]
    [InlineData("recreate-topics", "recreate-topics --bootstrap-server h:1 --from /nonexistent/cluster.json")]
    [InlineData("sandbox", "sandbox --listen nowhere")]
    [InlineData("config add", "config add x --brokers h:1 --password-env A --password-file B")]
    public async Task A_usage_error_found_by_a_command_ends_with_that_commands_help_hint_once(string command, string line)
    {
        var run = await CliRun.RunAsync(line.Split(' '));

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.EndsWith($"Run 'kmap {command} --help' for usage.\n", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n'), l => l.Contains("--help' for usage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_spelling_reaches_a_real_cluster()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions(), cancellationToken: TestContext.Current.CancellationToken);
        using var dir = new TempDirectory();
        var brokers = sandbox.BootstrapServers;
        foreach (var spelling in Spellings)
        {
            string[][] lines =
            [
                ["consumer-groups", spelling, brokers, "--list"],
                ["topics", spelling, brokers, "--list"],
                ["backup", spelling, brokers, "-o", dir.File("backup.json")],
                ["topic-sizes", spelling, brokers],
                [spelling, brokers, "-save-offsets", dir.File("compat.json")],
            ];
            foreach (var line in lines)
            {
                var run = await CliRun.RunAsync(line);
                Assert.True(run.ExitCode == 0, $"kmap {string.Join(' ', line)}: {run}");
            }
        }
    }
}
