using System.CommandLine;
using System.CommandLine.Help;
using System.Text;
using Kmap.Cli.Compat;

namespace Kmap.Cli.Commands.Completion;

/// <summary>docs/cli.md: every visible command's --help, rendered by the parser itself so the page cannot drift.</summary>
internal static class CliReference
{
    /// <summary>Fixed so the page does not depend on the terminal that generated it.</summary>
    private const int Width = 110;

    public static string Markdown(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction action)
            {
                action.MaxWidth = Width;
            }
            else if (help.Action is RootHelpAction shortHelp)
            {
                shortHelp.Inner.MaxWidth = Width;
            }
        }
        var text = new StringBuilder();
        text.Append("""
            # kmap command-line reference

            Generated from kmap's parser by `kmap docs cli > docs/cli.md`; a test fails when this file is stale.

            """);
        var nodes = CommandNode.Walk(root);
        text.Append('\n');
        foreach (var node in nodes)
        {
            var name = node.Path.Count == 0 ? "kmap" : "kmap " + node.Key;
            text.Append($"- [{name}](#{Anchor(name)})\n");
        }
        text.Append("- [kmap -flags (the Go tool's one-shot mode)](#kmap--flags-the-go-tools-one-shot-mode)\n");
        foreach (var node in nodes)
        {
            var name = node.Path.Count == 0 ? "kmap" : "kmap " + node.Key;
            var help = new StringWriter { NewLine = "\n" };
            root.Parse([.. node.Path, "--help"]).Invoke(new InvocationConfiguration { Output = help });
            text.Append($"\n## {name}\n\n```text\n{help.ToString().TrimEnd()}\n```\n");
        }
        text.Append($"\n## kmap -flags (the Go tool's one-shot mode)\n\n```text\n{CompatUsage.Text().TrimEnd()}\n```\n");
        return text.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Anchor(string heading) =>
        new(heading.ToLowerInvariant().Replace(' ', '-').Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').ToArray());
}
