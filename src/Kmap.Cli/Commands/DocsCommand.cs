using System.CommandLine;
using Kmap.Cli.Commands.Completion;

namespace Kmap.Cli.Commands;

/// <summary>`kmap docs cli` (hidden): writes docs/cli.md from the parser.</summary>
public static class DocsCommand
{
    public static Command Create(Command root, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(context);
        var cli = new Command("cli", "Print the command-line reference (docs/cli.md) as Markdown.");
        cli.SetAction(async (parse, cancellationToken) =>
        {
            await context.Out.WriteAsync(CliReference.Markdown(root));
            return ExitCodes.Success;
        });
        return new Command("docs", "Generate kmap's documentation from its parser.") { Hidden = true, Subcommands = { cli } };
    }
}
