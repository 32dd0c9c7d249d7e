using System.CommandLine;

namespace Kmap.Cli.Commands.Restore;

/// <summary>Small shared pieces of the backup/restore commands.</summary>
internal static class CommandErrors
{
    /// <summary>The message, then the hint to the help of the command that was run (`kmap restore --help`).</summary>
    public static async Task<int> UsageAsync(CliContext context, ParseResult parse, string message)
    {
        await context.Error.WriteLineAsync($"kmap: {message}");
        await context.Error.WriteLineAsync($"Run '{KmapApp.HelpCommand(parse)} --help' for usage.");
        return ExitCodes.Usage;
    }
}
