using System.CommandLine;
using Kmap.Cli.Commands.Completion;

namespace Kmap.Cli.Commands;

/// <summary>`kmap docs cli`: prints docs/cli.md from the parser. Visible, because System.CommandLine prints no help for a hidden command.</summary>
public static class DocsCommand
{
    public static Command Create(Command root, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(context);
        var cli = new Command("cli", """
            Print the command-line reference (docs/cli.md) as Markdown: every command's --help.

            Example:
              kmap docs cli > docs/cli.md
            """);
        cli.SetAction(async (parse, cancellationToken) =>
        {
            await context.Out.WriteAsync(CliReference.Markdown(root));
            return ExitCodes.Success;
        });
        return new Command("docs", """
            Print kmap's documentation, generated from its parser, so it matches this binary.

            Examples:
              kmap docs cli > cli.md
            """) { Subcommands = { cli } };
    }
}
