using System.CommandLine;
using System.CommandLine.Help;
using Kmap.Cli.Commands;
using Kmap.Cli.Compat;
using Kmap.Kafka;

namespace Kmap.Cli;

/// <summary>Builds the command tree and runs it. Exit codes: 0 success, 1 failure, 2 usage error, 3 partial success.</summary>
public static class KmapApp
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, CliContext.FromProcess(), CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        // First and alone: `kmap -version` must not pay for building the command tree.
        if (args is ["--version"] or ["-v"] or ["-version"])
        {
            await context.Out.WriteLineAsync($"kmap {Version}");
            return ExitCodes.Success;
        }
        // A shell cannot pass a NUL byte (exec's arguments are C strings), and every file API refuses one in a path:
        // an argument holding one comes from a program calling kmap wrongly, so say so before anything reads it.
        if (Array.FindIndex(args, a => a.Contains('\0', StringComparison.Ordinal)) is var nul and >= 0)
        {
            await context.Error.WriteLineAsync($"kmap: argument {nul + 1} contains a NUL character; no group, topic or file name can");
            await context.Error.WriteLineAsync("Run 'kmap --help' for usage.");
            return ExitCodes.Usage;
        }
        // The Go tool had no sub-commands: a first word that is a flag means its one-shot mode
        // (a leading --context NAME may come before a command: `kmap --context prod consumer-groups --list`).
        var first = args is [GlobalOptions.ContextName, _, ..] ? 2 : args is [var a, ..] && a.StartsWith(GlobalOptions.ContextName + "=", StringComparison.Ordinal) ? 1 : 0;
        if (args.Length > first && args[first].StartsWith('-') && args[first] is not ("--help" or "-h" or "-?" or "--version"))
        {
            return await CompatMode.RunAsync(args, context, cancellationToken);
        }

        var selection = new GlobalOptions.ContextSelection(context.Environment);
        var stderr = new UsageHintWriter(context.Error);
        context = context with { Environment = selection.Read, Error = stderr };
        var (root, contextOption) = CreateRoot(context);
        // Group names may start with '@': never read them as response files.
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await context.Error.WriteLineAsync($"kmap: {SecretRedaction.Redact(error.Message, args, context.Environment)}");
            }
            await context.Error.WriteLineAsync($"Run '{HelpCommand(result)} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            selection.Name = result.GetValue(contextOption);
        }
        catch (InvalidOperationException e)
        {
            // "--context a --context b" beside --help: the parser leaves the help to run and the error to the reader.
            await context.Error.WriteLineAsync($"kmap: {e.Message}");
            await context.Error.WriteLineAsync($"Run '{HelpCommand(result)} --help' for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            var exit = await result.InvokeAsync(
                new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false },
                cancellationToken);
            if (exit == ExitCodes.Usage && !stderr.EndsWithHint)
            {
                // A command that found the line wrong said why; it ends, as the parser's errors do, with its own help.
                await stderr.WriteLineAsync($"Run '{HelpCommand(result)} --help' for usage.");
            }
            return exit;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("kmap: cancelled");
            return ExitCodes.Failure;
        }
        catch (BundledLibrdkafkaException e)
        {
            // Another librdkafka on the machine must never be used instead: say which file was missing, and stop.
            await context.Error.WriteLineAsync($"kmap: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (context.Environment("KMAP_DEBUG") is not ("1" or "true"))
        {
            // Commands report the failures they expect; this is the net for the rest: one line, no stack trace.
            await context.Error.WriteLineAsync($"kmap: unexpected error ({e.GetType().Name}): {e.Message}");
            await context.Error.WriteLineAsync("kmap: set KMAP_DEBUG=1 for the details, and please report it.");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The command tree, and its recursive --context option.</summary>
    internal static (Command Root, Option<string?> Context) CreateRoot(CliContext context)
    {
        // A plain command named kmap, not RootCommand: usage lines and docs/cli.md must say "kmap" whatever runs the parser.
        var help = new HelpOption();
        // Its --help is RootHelpAction's one screen, not this description.
        var root = new Command("kmap", "kmap — map Kafka clusters, back up and restore consumer-group offsets.")
        {
            help,
            SandboxCommand.Create(),
            DemoCommand.Create(context),
            ConsumerGroupsCommand.Create(context),
            BackupCommand.Create(context),
            RestoreCommand.Create(context),
            VerifyCommand.Create(context),
            DiffCommand.Create(context),
            ReportCommand.Create(context),
            TopicSizesCommand.Create(context),
            TopicsCommand.Create(context),
            RecreateTopicsCommand.Create(context),
            CompareCommand.Create(context),
            SyncCommand.Create(context),
        };
        root.Subcommands.Add(ConfigCommand.Create(context));
        root.Subcommands.Add(CompletionCommand.Create(root, context));
        root.Subcommands.Add(DocsCommand.Create(root, context));
        var contextOption = GlobalOptions.CreateContextOption();
        root.Options.Add(contextOption);
        GlobalOptions.AddHelpEpilogue(root);
        // `kmap --help` fits a screen; every command's own --help keeps the parser's full page.
        help.Action = new RootHelpAction(root, (HelpAction)help.Action!);
        return (root, contextOption);
    }

    /// <summary>"kmap restore" for a line that reached restore (or "kmap config add"): a usage error points at that command's help.</summary>
    internal static string HelpCommand(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var names = new List<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(command.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    public static string Version =>
        typeof(KmapApp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
