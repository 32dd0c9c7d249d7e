using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using Kmap.Cli.Compat;
using Kmap.Cli.Tests.Support;
using Kmap.Core.Config;
using Kmap.Kafka;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Docs;

/// <summary>
/// The command lines of README.md and docs/*.md cannot drift from the program: each `kmap …` line of a fenced block is
/// parsed by kmap's own parser (an unknown command or flag fails, naming the guide's file and line), and the important
/// ones are run against a sandbox. A failure says which line, what was run and what kmap answered.
/// </summary>
public partial class DocCommandTests
{
    /// <summary>
    /// Lines that show kmap but are not meant to be run as written (a synopsis with [optional] parts): file, the line's
    /// text as written (trimmed, continuations joined), and why. Keep it small; each entry must still be in its guide.
    /// </summary>
    private static readonly (string File, string Text, string Why)[] NotCommands =
    [
        ("docs/sandbox.md", "kmap sandbox [--listen 127.0.0.1:PORT] [--brokers N] [--auto-create-topics true|false]", "the synopsis of `kmap sandbox`"),
    ];

    /// <summary>What stands in for the guides' cluster addresses (source:9092, kafka-1:9093, …) when a line is checked.</summary>
    private const string Placeholder = "127.0.0.1:9";

    [Fact]
    public void The_guides_show_kmap_command_lines()
    {
        var lines = DocCommandLines.All();

        // The extractor itself must keep finding them: a broken one would make the check below pass on nothing.
        Assert.True(lines.Count >= 40, $"only {lines.Count} kmap command lines found in {string.Join(", ", DocCommandLines.Guides)}");
        Assert.Contains(lines, l => l.File == "README.md");
        Assert.Contains(lines, l => l.File == "docs/CONSUMER_OFFSETS.md");
    }

    [Fact]
    public async Task Every_kmap_command_line_in_the_guides_parses_with_kmaps_own_parser()
    {
        var failures = new List<string>();
        foreach (var line in DocCommandLines.All().Where(l => !IsAllowed(l)))
        {
            foreach (var args in Variants(line.Args))
            {
                if (await ParseErrorAsync(WithPlaceholderBrokers(args)) is { } error)
                {
                    failures.Add($"{line.Where}: {line.Text}\n    checked: kmap {string.Join(' ', args)}\n    -> {error.Trim().Replace("\n", "\n       ", StringComparison.Ordinal)}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} command line(s) of the guides do not parse (fix the guide, or the program):\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task Every_kmap_code_span_of_the_prose_names_only_commands_and_flags_that_exist()
    {
        // Spans are often fragments (`kmap restore --execute`, `kmap diff`): a missing required option is fine there,
        // an unknown command or flag is not. Alternatives (`--list|--describe`, `table|json`) are checked one by one.
        var failures = new List<string>();
        var spans = DocCommandLines.AllInline();
        foreach (var span in spans)
        {
            foreach (var args in Variants(span.Args).SelectMany(Alternatives))
            {
                var unknown = (await ParseErrorsAsync(WithPlaceholderBrokers(args))).Where(IsUnknownWord).ToList();
                if (unknown.Count > 0)
                {
                    failures.Add($"{span.Where}: `{span.Text}`\n    checked: kmap {string.Join(' ', args)}\n    -> {string.Join("; ", unknown)}");
                }
            }
        }

        Assert.True(spans.Count >= 20, $"only {spans.Count} `kmap …` spans found");
        Assert.True(failures.Count == 0, $"{failures.Count} `kmap …` span(s) of the guides name what kmap does not have:\n{string.Join('\n', failures)}");
    }

    [Fact]
    public async Task The_parse_check_catches_an_unknown_command_an_unknown_flag_and_an_unsupported_go_flag()
    {
        Assert.Null(await ParseErrorAsync(["backup", "--brokers", Placeholder, "-o", "offsets.json"]));
        Assert.Null(await ParseErrorAsync(["-brokers", Placeholder, "-save-offsets", "offsets.json"]));
        Assert.Contains("--no-such-flag", await ParseErrorAsync(["backup", "--brokers", Placeholder, "-o", "x.json", "--no-such-flag"]), StringComparison.Ordinal);
        Assert.Contains("bakup", await ParseErrorAsync(["bakup", "--brokers", Placeholder]), StringComparison.Ordinal);
        Assert.NotNull(await ParseErrorAsync(["-brokers", Placeholder, "-no-such-flag", "x"]));
    }

    [Fact]
    public void A_synopsis_is_checked_without_and_with_its_optional_parts()
    {
        Assert.Equal(
            [
                "consumer-groups --list",
                "consumer-groups --list --state Stable,Empty",
            ],
            Variants(["consumer-groups", "--list", "[--state", "[Stable,Empty]]"]).Select(v => string.Join(' ', v)));
    }

    [Fact]
    public void The_allow_list_names_only_lines_that_are_still_in_the_guides()
    {
        var lines = DocCommandLines.All();
        foreach (var (file, text, why) in NotCommands)
        {
            Assert.True(lines.Any(l => l.File == file && l.Text.StartsWith(text, StringComparison.Ordinal)), $"allow-listed ({why}) but no longer in {file}: {text}");
        }
    }

    [Fact]
    public void The_shell_words_of_a_guide_line_are_split_as_bash_would()
    {
        var lines = DocCommandLines.Read("x.md",
        [
            "```bash",
            "KMAP_SASL_PASSWORD=secret ./kmap -brokers kafka:9092 \\",
            "  -sasl-username admin -save-offsets offsets.json   # a comment",
            "kmap verify --from offsets.json --format json | jq '.drift[] | select(.group_active | not)'",
            "kcat -b \"$(head -1 <(./kmap sandbox))\" -L",
            "source <(kmap completion bash) 2>/dev/null",
            "```",
            "kmap outside a fence is prose",
        ]).ToList();

        Assert.Equal(
            [
                "x.md:2 -brokers kafka:9092 -sasl-username admin -save-offsets offsets.json",
                "x.md:4 verify --from offsets.json --format json",
                "x.md:5 sandbox",
                "x.md:6 completion bash",
            ],
            lines.Select(l => $"{l.Where} {string.Join(' ', l.Args)}"));
    }

    /// <summary>The lines a reader is most likely to paste, run in this order in one directory against one sandbox.</summary>
    private static readonly (string File, string Args)[] Run =
    [
        ("README.md", "-brokers localhost:9092 -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh"),
        ("docs/CONSUMER_OFFSETS.md", "-brokers localhost:9092 -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh"),
        ("README.md", "backup --brokers source:9092 -o offsets.json"),
        ("README.md", "restore --brokers target:9092 --from offsets.json"),
        ("README.md", "verify --brokers target:9092 --from offsets.json"),
        ("README.md", "report --brokers source:9092 --format table --lag-sample-interval 10s"),
    ];

    [Fact]
    public async Task The_important_command_lines_of_the_guides_run_against_a_sandbox()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: ct);
        var settings = new ConnectionSettings { BootstrapServers = sandbox.BootstrapServers };
        var traffic = new SampleTraffic(settings);
        await traffic.CreateTopicAsync("orders", 2, ct);
        using (var writer = new KafkaRecordWriter(settings))
        {
            await writer.ProduceSamplesAsync("orders", 20, ct);
        }
        await traffic.ConsumeAsync("my-consumer-group", "orders", 10, ct);
        using var dir = new TempDirectory();
        var lines = DocCommandLines.All();

        var failures = new List<string>();
        foreach (var (file, args) in Run)
        {
            var line = lines.FirstOrDefault(l => l.File == file && string.Join(' ', l.Args) == args);
            if (line is null)
            {
                failures.Add($"{file}: no longer shows `kmap {args}` (update the list in {nameof(DocCommandTests)}.{nameof(Run)} if the guide changed on purpose)");
                continue;
            }
            string[] run = [.. line.Args.Select(a => Cluster().Replace(a, sandbox.BootstrapServers))];
            var result = await KmapBinary.RunAsync(dir.Path, null, run);
            if (result.ExitCode != 0)
            {
                failures.Add($"{line.Where}: {line.Text}\n    ran: kmap {string.Join(' ', run)}\n    exit {result.ExitCode}\n    {result.Stderr.Trim().Replace("\n", "\n    ", StringComparison.Ordinal)}");
            }
        }

        // The guide's jq queries on the Go-style file (its promise: every query that worked on the Go tool's files works).
        var queries = DocCommandLines.JqCommands("docs/CONSUMER_OFFSETS.md").ToList();
        Assert.True(queries.Count >= 4, $"only {queries.Count} jq commands found in docs/CONSUMER_OFFSETS.md");
        foreach (var query in queries)
        {
            var result = await ProcessRunner.RunAsync("jq", query.Args, workingDirectory: dir.Path);
            if (result.ExitCode != 0 || result.Stdout.Trim().Length == 0
                || (query.Text.Contains("my-consumer-group", StringComparison.Ordinal) && !result.Stdout.Contains("orders", StringComparison.Ordinal)))
            {
                failures.Add($"{query.Where}: {query.Text}\n    exit {result.ExitCode}, stdout: {result.Stdout.Trim()}\n    {result.Stderr.Trim()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.True(File.Exists(dir.File("consumer-offsets.json")) && File.Exists(dir.File("restore-offsets.sh")) && File.Exists(dir.File("offsets.json")));
    }

    /// <summary>A synopsis such as `--list [--state [Stable,Empty]]` is checked without its [optional] parts and with all of them.</summary>
    internal static IEnumerable<IReadOnlyList<string>> Variants(IReadOnlyList<string> args)
    {
        if (!args.Any(a => a.StartsWith('[')))
        {
            yield return args;
            yield break;
        }
        var without = new List<string>();
        var depth = 0;
        foreach (var arg in args)
        {
            depth += arg.TakeWhile(c => c == '[').Count();
            if (depth == 0)
            {
                without.Add(arg);
            }
            depth -= arg.Reverse().TakeWhile(c => c == ']').Count();
        }
        yield return without;
        yield return [.. args.Select(a => a.TrimStart('[').TrimEnd(']')).Where(a => a.Length > 0)];
    }

    private static bool IsAllowed(DocCommandLine line) =>
        NotCommands.Any(n => n.File == line.File && line.Text.StartsWith(n.Text, StringComparison.Ordinal));

    private static string[] WithPlaceholderBrokers(IReadOnlyList<string> args) => [.. args.Select(a => Cluster().Replace(a, Placeholder))];

    /// <summary>`--list|--describe` is two lines to check; a value `table|json` is checked as its first choice.</summary>
    internal static IEnumerable<IReadOnlyList<string>> Alternatives(IReadOnlyList<string> args)
    {
        var at = args.ToList().FindIndex(a => a.Contains('|', StringComparison.Ordinal));
        if (at < 0)
        {
            yield return args;
            yield break;
        }
        var choices = args[at].Split('|');
        foreach (var choice in args[at].StartsWith('-') ? choices : choices[..1])
        {
            foreach (var rest in Alternatives([.. args.Take(at), choice, .. args.Skip(at + 1)]))
            {
                yield return rest;
            }
        }
    }

    /// <summary>An error saying a word is not a command or flag kmap knows (not a missing option or a bad value).</summary>
    private static bool IsUnknownWord(string error) =>
        error.Contains("Unrecognized command or argument", StringComparison.Ordinal)
        || error.Contains("flag provided but not defined", StringComparison.Ordinal)
        || error.Contains("not yet supported", StringComparison.Ordinal)
        || error.Contains("unknown flag", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when kmap's parser accepts the arguments, else what it said. Nothing connects anywhere.</summary>
    internal static async Task<string?> ParseErrorAsync(string[] args)
    {
        var errors = await ParseErrorsAsync(args);
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    internal static Task<IReadOnlyList<string>> ParseErrorsAsync(string[] args)
    {
        // As KmapApp decides: a first word (after --context NAME) that is a flag means the Go tool's one-shot mode.
        var first = args is ["--context", _, ..] ? 2 : args is [var a, ..] && a.StartsWith("--context=", StringComparison.Ordinal) ? 1 : 0;
        if (args.Length > first && args[first].StartsWith('-') && args[first] is not ("--help" or "-h" or "-?" or "--version"))
        {
            var parsed = CompatCommandLine.Parse(args);
            if (parsed.Error is not null)
            {
                return Task.FromResult<IReadOnlyList<string>>([parsed.Error]);
            }
            var unsupported = CompatFlags.All.Where(f => f.NotYetSupported && parsed.IsSet(f.Name)).Select(f => "-" + f.Name).ToList();
            return Task.FromResult<IReadOnlyList<string>>(unsupported.Count > 0 ? [$"{string.Join(", ", unsupported)}: not yet supported"] : []);
        }
        // A sub-command: parsed, never run. (With --help appended the parser would not report unknown flags.)
        var result = CommandTree.Value.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        return Task.FromResult<IReadOnlyList<string>>([.. result.Errors.Select(e => e.Message)]);
    }

    /// <summary>
    /// kmap's sub-command tree as KmapApp builds it (every Kmap.Cli.Commands.*Command.Create, the root's --context), built
    /// here so that nothing runs: KmapApp.RunAsync only parses and runs together.
    /// </summary>
    private static readonly Lazy<Command> CommandTree = new(() =>
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, _ => null);
        var root = new Command("kmap") { new System.CommandLine.Help.HelpOption() };
        root.Options.Add(GlobalOptions.CreateContextOption());
        var factories = typeof(KmapApp).Assembly.GetTypes()
            .Where(t => t.Namespace == "Kmap.Cli.Commands" && t.Name.EndsWith("Command", StringComparison.Ordinal))
            .Select(t => t.GetMethod("Create", BindingFlags.Public | BindingFlags.Static))
            .OfType<MethodInfo>()
            .Where(m => m.ReturnType == typeof(Command));
        foreach (var create in factories.OrderBy(m => m.GetParameters().Length))
        {
            object?[] arguments = [.. create.GetParameters().Select(p => p.ParameterType == typeof(Command) ? root : (object)context)];
            root.Subcommands.Add((Command)create.Invoke(null, arguments)!);
        }
        Assert.Superset(new HashSet<string>(["backup", "restore", "verify", "report", "consumer-groups", "sandbox", "config", "completion"]),
            root.Subcommands.Select(c => c.Name).ToHashSet());
        return root;
    });

    /// <summary>A cluster address of the guides: source:9092, localhost:9092, kafka-1:9093, a list of them.</summary>
    [GeneratedRegex(@"(?<![\w.-])[A-Za-z][\w.-]*:\d{2,5}(,[A-Za-z][\w.-]*:\d{2,5})*(?![\w.])")]
    private static partial Regex Cluster();
}
