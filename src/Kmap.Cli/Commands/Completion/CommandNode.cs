using System.CommandLine;

namespace Kmap.Cli.Commands.Completion;

/// <summary>One visible command of the parser with its path from the root, for completion scripts and docs.</summary>
internal sealed record CommandNode(IReadOnlyList<string> Path, Command Command)
{
    public string Key => string.Join(' ', Path);

    public IEnumerable<Command> Subcommands => Command.Subcommands.Where(c => !c.Hidden);

    /// <summary>Every spelling of every visible option, the recursive ones of the ancestors included.</summary>
    public IReadOnlyList<Option> Options { get; init; } = [];

    /// <summary>The root and every visible command under it, parents before children.</summary>
    public static IReadOnlyList<CommandNode> Walk(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var nodes = new List<CommandNode>();
        Visit(root, [], [], nodes);
        return nodes;
    }

    private static void Visit(Command command, IReadOnlyList<string> path, IReadOnlyList<Option> inherited, List<CommandNode> nodes)
    {
        var own = command.Options.Where(o => !o.Hidden).ToList();
        nodes.Add(new CommandNode(path, command) { Options = [.. inherited.Where(i => !own.Contains(i)), .. own] });
        var passed = inherited.Concat(own.Where(o => o.Recursive)).ToList();
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            Visit(sub, [.. path, sub.Name], passed, nodes);
        }
    }

    public static IEnumerable<string> Spellings(Option option) => new[] { option.Name }.Concat(option.Aliases);
}
