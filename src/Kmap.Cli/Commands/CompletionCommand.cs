using System.CommandLine;
using Kmap.Cli.Commands.Completion;

namespace Kmap.Cli.Commands;

/// <summary>`kmap completion bash|zsh|fish`: shell completion scripts generated from the parser.</summary>
public static class CompletionCommand
{
    public static Command Create(Command root, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(context);
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        var command = new Command("completion", """
            Print a shell completion script: commands, options, and the context names of the config file.

            Examples:
              source <(kmap completion bash)                                   # this shell
              kmap completion bash > ~/.local/share/bash-completion/completions/kmap
              source <(kmap completion zsh)                                    # in ~/.zshrc
              kmap completion fish > ~/.config/fish/completions/kmap.fish
            """)
        { shell };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var script = parse.GetValue(shell) switch
            {
                "bash" => BashCompletion.Script(root),
                "zsh" => ZshCompletion.Script(root),
                _ => FishCompletion.Script(root),
            };
            await context.Out.WriteAsync(script);
            return ExitCodes.Success;
        });
        return command;
    }
}
