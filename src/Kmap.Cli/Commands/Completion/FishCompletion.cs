using System.CommandLine;
using System.Text;

namespace Kmap.Cli.Commands.Completion;

/// <summary>fish completion: one `complete` line per command and option, generated from the parser.</summary>
internal static class FishCompletion
{
    public static string Script(Command root)
    {
        var text = new StringBuilder();
        text.Append("""
            # kmap fish completion. Load it with:  kmap completion fish | source
            complete -c kmap -f
            complete -c kmap -l context -x -a '(kmap config list --names 2>/dev/null)' -d 'cluster context'
            complete -c kmap -l format -x -a 'table json' -d 'output format'

            """);
        foreach (var node in CommandNode.Walk(root))
        {
            // Fish decides by the words already typed: a node applies when its path was seen and no child's name was.
            var condition = node.Path.Count == 0
                ? "__fish_use_subcommand"
                : string.Join("; and ", node.Path.Select(p => $"__fish_seen_subcommand_from {p}"))
                  + (node.Subcommands.Any() ? "; and not __fish_seen_subcommand_from " + string.Join(' ', node.Subcommands.Select(c => c.Name)) : "");
            foreach (var sub in node.Subcommands)
            {
                text.Append($"complete -c kmap -n '{condition}' -a {sub.Name} -d {Quote(FirstLine(sub.Description))}\n");
            }
            foreach (var option in node.Options.Where(o => o.Name is not ("--context" or "--format")))
            {
                foreach (var spelling in CommandNode.Spellings(option).Where(s => s.StartsWith("--", StringComparison.Ordinal)))
                {
                    text.Append($"complete -c kmap -n '{condition}' -l {spelling[2..]} -d {Quote(FirstLine(option.Description))}\n");
                }
            }
        }
        return text.ToString();
    }

    private static string FirstLine(string? text) => (text ?? "").Split('\n')[0].Trim();

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
