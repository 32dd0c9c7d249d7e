using Kmap.Cli.Commands.Completion;
using Kmap.Cli.Tests.Support;

namespace Kmap.Cli.Tests.Commands;

/// <summary>`kmap --help` fits a screen: one line per command; the details stay in `kmap COMMAND --help`.</summary>
public class RootHelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task The_top_level_help_fits_a_screen_and_names_every_visible_command_once(string flag)
    {
        var help = await CliRun.RunAsync(flag);
        var root = KmapApp.CreateRoot(new CliContext(TextWriter.Null, TextWriter.Null, _ => null)).Root;
        var lines = help.Stdout.TrimEnd('\n').Split('\n');

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.True(lines.Length <= 60, $"kmap {flag} prints {lines.Length} lines:\n{help.Stdout}");
        Assert.All(lines, l => Assert.True(l.Length <= 120, $"too wide: {l}"));
        foreach (var command in new CommandNode([], root).Subcommands)
        {
            var rows = lines.Where(l => l.StartsWith($"  {command.Name} ", StringComparison.Ordinal)).ToList();
            Assert.True(rows.Count == 1, $"{command.Name} appears {rows.Count} times in the command list:\n{help.Stdout}");
            Assert.True(rows[0].Length > command.Name.Length + 10, $"{command.Name} has no summary: {rows[0]}");
        }
        // The Go tool's mode in a few lines, and where the rest is.
        Assert.Contains("kmap -brokers localhost:9092 -save-offsets", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("kmap -help", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("kmap COMMAND --help", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Examples:", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commands_own_help_keeps_its_description_examples_and_environment()
    {
        var help = await CliRun.RunAsync("restore", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage:", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("Example", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("KMAP_BROKERS", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("Exit status:", help.Stdout, StringComparison.Ordinal);
    }
}
