namespace Kmap.Cli.Commands.Restore;

/// <summary>Small shared pieces of the backup/restore commands.</summary>
internal static class CommandErrors
{
    public static async Task<int> UsageAsync(CliContext context, string message)
    {
        await context.Error.WriteLineAsync($"kmap: {message}");
        await context.Error.WriteLineAsync("Run 'kmap <command> --help' for usage.");
        return ExitCodes.Usage;
    }
}
