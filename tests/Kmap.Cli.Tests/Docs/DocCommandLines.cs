using System.Text;
using System.Text.RegularExpressions;

namespace Kmap.Cli.Tests.Docs;

/// <summary>One `kmap …` invocation shown in a fenced block of a guide: where it is, as written, and its arguments.</summary>
public sealed record DocCommandLine(string File, int Line, string Text, IReadOnlyList<string> Args)
{
    /// <summary>From a `code span` of the prose rather than a fenced block: often a fragment or a synopsis.</summary>
    public bool Inline { get; init; }

    public string Where => Inline ? $"{File}:{Line} (inline)" : $"{File}:{Line}";

    public override string ToString() => $"{Where}: {Text}";
}

/// <summary>
/// Finds the kmap command lines of the guides: every fenced code block of README.md and docs/*.md (not docs/cli.md,
/// which is generated from --help), lines joined at a trailing backslash, split into shell words the way bash would
/// (quotes, comments, pipes, redirections, $(…) and &lt;(…)), and every simple command whose program is `kmap` or
/// `./kmap` (after VAR=value assignments) kept with its arguments.
/// </summary>
public static partial class DocCommandLines
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The guides, relative to the repository root.</summary>
    public static IReadOnlyList<string> Guides =>
        [
            "README.md",
            .. Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md")
                .Select(f => Path.GetRelativePath(RepositoryRoot, f).Replace('\\', '/'))
                .Where(f => f != "docs/cli.md")
                .Order(StringComparer.Ordinal),
        ];

    public static IReadOnlyList<DocCommandLine> All() => [.. Guides.SelectMany(g => Read(g, File.ReadAllLines(Path.Combine(RepositoryRoot, g))))];

    /// <summary>The jq commands of a guide's fenced blocks, a query spanning lines (inside its quotes) joined to one.</summary>
    public static IEnumerable<DocCommandLine> JqCommands(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot, file));
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence || !lines[i].StartsWith("jq ", StringComparison.Ordinal))
            {
                continue;
            }
            var start = i;
            var text = lines[i];
            while (text.Count(c => c == '\'') % 2 == 1 && i + 1 < lines.Length)
            {
                text += "\n" + lines[++i];
            }
            if (ShellWords.Commands(text) is [["jq", ..] jq, ..])
            {
                yield return new DocCommandLine(file, start + 1, text, [.. jq.Skip(1)]);
            }
        }
    }

    /// <summary>The `kmap …` code spans of the prose (outside fenced blocks), split at spaces; `\|` in a table is `|`.</summary>
    public static IReadOnlyList<DocCommandLine> AllInline() => [.. Guides.SelectMany(g => ReadInline(g, File.ReadAllLines(Path.Combine(RepositoryRoot, g))))];

    public static IEnumerable<DocCommandLine> ReadInline(string file, IReadOnlyList<string> lines)
    {
        var inFence = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
            {
                continue;
            }
            foreach (Match span in InlineKmap().Matches(lines[i]))
            {
                var text = span.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal);
                var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                yield return new DocCommandLine(file, i + 1, text, words[1..]) { Inline = true };
            }
        }
    }

    public static IEnumerable<DocCommandLine> Read(string file, IReadOnlyList<string> lines)
    {
        var inFence = false;
        string? fenceLanguage = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                fenceLanguage = inFence ? trimmed[3..].Trim() : null;
                continue;
            }
            if (!inFence || fenceLanguage is "json" or "properties" or "yaml" or "csv" or "text")
            {
                continue;
            }
            var start = i;
            var logical = new StringBuilder(lines[i]);
            while (logical.Length > 0 && logical[^1] == '\\' && i + 1 < lines.Count)
            {
                logical.Length--;
                logical.Append(' ').Append(lines[++i].Trim());
            }
            var text = logical.ToString().Trim();
            if (!KmapWord().IsMatch(text))
            {
                continue;
            }
            foreach (var command in ShellWords.Commands(text))
            {
                var words = command.SkipWhile(w => Assignment().IsMatch(w)).ToList();
                if (words is ["kmap" or "./kmap", .. var args])
                {
                    yield return new DocCommandLine(file, start + 1, text, args);
                }
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "kmap.slnx")) && File.Exists(Path.Combine(dir.FullName, "README.md")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no kmap.slnx above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"(^|[\s(;|&])(\./)?kmap(\s|$|\))")]
    private static partial Regex KmapWord();

    [GeneratedRegex(@"`((?:\./)?kmap(?: [^`]*)?)`")]
    private static partial Regex InlineKmap();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();
}

/// <summary>Just enough of bash's word splitting for documentation lines.</summary>
public static class ShellWords
{
    /// <summary>The simple commands of a line, each as its words; $(…) and &lt;(…) bodies are commands of their own.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Commands(string line)
    {
        var commands = new List<IReadOnlyList<string>>();
        var position = 0;
        Parse(line, ref position, commands, nested: false);
        return commands;
    }

    private static void Parse(string s, ref int i, List<IReadOnlyList<string>> commands, bool nested)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var skipNext = false; // the word after a redirection is a file, not an argument
        void EndWord()
        {
            if (inWord)
            {
                if (!skipNext)
                {
                    words.Add(word.ToString());
                }
                skipNext = false;
            }
            word.Clear();
            inWord = false;
        }
        void EndCommand()
        {
            EndWord();
            if (words.Count > 0)
            {
                commands.Add([.. words]);
            }
            words = [];
        }
        while (i < s.Length)
        {
            var c = s[i];
            if (nested && c == ')')
            {
                i++;
                EndCommand();
                return;
            }
            if ((c == '$' || c == '<') && i + 1 < s.Length && s[i + 1] == '(')
            {
                i += 2;
                Parse(s, ref i, commands, nested: true);
                word.Append("SUBSTITUTED");
                inWord = true;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                EndWord();
                i++;
                continue;
            }
            if (c == '#' && !inWord)
            {
                break; // a comment to the end of the line
            }
            if (c is '|' or ';' or '&')
            {
                EndCommand();
                i++;
                continue;
            }
            if (c is '>' or '<')
            {
                if (inWord && word.ToString().All(char.IsDigit))
                {
                    word.Clear(); // 2>file
                    inWord = false;
                }
                EndWord();
                while (i < s.Length && s[i] is '>' or '<' or '&')
                {
                    i++;
                }
                skipNext = true;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var end = s.IndexOf('\'', i + 1);
                end = end < 0 ? s.Length : end;
                word.Append(s, i + 1, end - i - 1);
                i = end + 1;
                continue;
            }
            if (c == '"')
            {
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '$' && i + 1 < s.Length && s[i + 1] == '(')
                    {
                        i += 2;
                        Parse(s, ref i, commands, nested: true);
                        word.Append("SUBSTITUTED");
                        continue;
                    }
                    if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }
                    word.Append(s[i++]);
                }
                i++;
                continue;
            }
            if (c == '\\' && i + 1 < s.Length)
            {
                word.Append(s[i + 1]);
                i += 2;
                continue;
            }
            word.Append(c);
            i++;
        }
        EndCommand();
    }
}
