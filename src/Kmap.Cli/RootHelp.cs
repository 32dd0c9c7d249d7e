using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Kmap.Cli;

/// <summary>
/// `kmap --help`: one screen, one line per command (as git, kubectl and gh print theirs). A command's description,
/// examples, exit codes and environment are in `kmap COMMAND --help` and docs/cli.md, which the parser's own
/// help action still writes.
/// </summary>
internal sealed class RootHelpAction(Command root, HelpAction inner) : SynchronousCommandLineAction
{
    /// <summary>One line per command; a command missing here shows the first line of its description.</summary>
    private static readonly Dictionary<string, string> Summaries = new(StringComparer.Ordinal)
    {
        ["sandbox"] = "run a Kafka-protocol cluster on loopback, for tests and rehearsals",
        ["demo"] = "back up and migrate offsets on an embedded sandbox: nothing to install",
        ["consumer-groups"] = "list, describe, reset, delete groups, as kafka-consumer-groups.sh",
        ["backup"] = "back up every consumer group's committed offsets to a JSON file",
        ["restore"] = "restore a backup's offsets, translated when the target's offsets differ",
        ["verify"] = "compare a backup with a cluster's committed offsets; change nothing",
        ["diff"] = "show what moved between two backups",
        ["report"] = "map a cluster: brokers, topics, configs, groups, lag (JSON, HTML, dot)",
        ["topic-sizes"] = "topic sizes from the brokers' log directories, largest first",
        ["topics"] = "list, describe and create topics, as kafka-topics.sh",
        ["recreate-topics"] = "recreate a mapped cluster's topics on a target",
        ["compare"] = "compare two clusters: topics, configs, messages, group offsets",
        ["sync"] = "keep consumer positions current on a standby or migration target",
        ["config"] = "manage cluster contexts (brokers and credentials typed once)",
        ["completion"] = "print the bash, zsh or fish completion script",
        ["docs"] = "print the command-line reference (docs/cli.md)",
    };

    /// <summary>The parser's help, for every command but the root (and for docs/cli.md's width).</summary>
    public HelpAction Inner => inner;

    /// <summary>As the parser's help: `kmap restore --help` shows the help, not "--from is required".</summary>
    public override bool ClearsParseErrors => inner.ClearsParseErrors;

    public override int Invoke(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.CommandResult.Command != root)
        {
            return inner.Invoke(parseResult);
        }
        parseResult.InvocationConfiguration.Output.Write(Text(root));
        return ExitCodes.Success;
    }

    public static string Text(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var commands = root.Subcommands.Where(c => !c.Hidden).ToList();
        var width = commands.Max(c => c.Name.Length) + 2;
        var lines = new List<string>
        {
            "kmap — map Kafka clusters, back up and restore consumer-group offsets.",
            "",
            "Usage:",
            "  kmap COMMAND [options]            `kmap COMMAND --help`: its options, examples, exit codes",
            "  kmap -brokers HOST:PORT -FLAGS    the Go tool's one-shot mode (`kmap -help`: its flags)",
            "",
            "Commands:",
        };
        lines.AddRange(commands.Select(c => $"  {c.Name.PadRight(width)}{Summary(c)}"));
        lines.AddRange(
        [
            "",
            "The Go tool's command lines still work:",
            "  kmap -brokers localhost:9092 -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh",
            "  DRY_RUN=1 BOOTSTRAP_SERVERS=target:9092 ./restore-offsets.sh",
            "",
            "Brokers and credentials typed once, with a context:",
            "  kmap config add prod --brokers kafka-1:9093 --sasl-username kmap --password-env PROD_KAFKA_PASSWORD --use",
            "  kmap consumer-groups --context prod --list",
            "",
            "Options:",
            $"  {GlobalOptions.ContextName} NAME    use this cluster context of the kmap config file (see `kmap config list`)",
            "  -h, --help        show this help",
            "",
            "Every command that talks to a cluster takes --brokers HOST:PORT[,HOST:PORT] (also -brokers,",
            "--bootstrap-server, -b; compare, sync: --source-brokers, --target-brokers), --context NAME and the auth",
            "flags. Environment: KMAP_BROKERS, KMAP_CONTEXT, KMAP_SASL_PASSWORD, KMAP_CONFIG (`kmap COMMAND --help`",
            "says how they combine).",
            GlobalOptions.ExitStatus,
            "Every command's help in one page: docs/cli.md (`kmap docs cli`).",
        ]);
        return string.Join('\n', lines) + "\n";
    }

    private static string Summary(Command command) =>
        Summaries.TryGetValue(command.Name, out var summary)
            ? summary
            : (command.Description ?? "").Split('\n', 2)[0].Trim();
}
