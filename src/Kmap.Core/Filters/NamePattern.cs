using System.Text;
using System.Text.RegularExpressions;

namespace Kmap.Core.Filters;

/// <summary>
/// A name pattern as the user types it: a glob (`*` any run, `?` one character, `[abc]` a class) matching the
/// whole name, or `re:` followed by a .NET regular expression that must match somewhere in the name (anchor it with ^…$).
/// </summary>
public sealed class NamePattern
{
    private readonly Regex regex;

    private NamePattern(string text, Regex regex)
    {
        Text = text;
        this.regex = regex;
    }

    public string Text { get; }

    public bool Matches(string name) => regex.IsMatch(name);

    public static NamePattern Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return text.StartsWith("re:", StringComparison.Ordinal)
                ? new NamePattern(text, new Regex(text[3..], RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                : new NamePattern(text, new Regex(GlobToRegex(text), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"pattern '{text}': {e.Message}", e);
        }
    }

    private static string GlobToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    pattern.Append(".*");
                    break;
                case '?':
                    pattern.Append('.');
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        pattern.Append(@"\[");
                        break;
                    }
                    var body = glob[(i + 1)..close];
                    pattern.Append('[').Append(body.StartsWith('!') ? "^" + Regex.Escape(body[1..]) : Regex.Escape(body)).Append(']');
                    i = close;
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return pattern.Append('$').ToString();
    }
}
