using System.Globalization;
using System.Text;

namespace Kmap.Core.Config;

/// <summary>
/// Reads Java .properties files as java.util.Properties does: `key=value`, `key: value` or `key value`,
/// `#`/`!` comments, a trailing backslash continues the line (leading blanks of the next line dropped),
/// and \t \n \r \f \uXXXX escapes. Later keys win.
/// </summary>
public static class JavaProperties
{
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var logical in LogicalLines(text))
        {
            var (key, value) = SplitKeyValue(logical);
            result[Unescape(key)] = Unescape(value);
        }
        return result;
    }

    private static IEnumerable<string> LogicalLines(string text)
    {
        var physical = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var current = new StringBuilder();
        var continuing = false;
        foreach (var raw in physical)
        {
            var line = raw.TrimStart(' ', '\t', '\f');
            if (!continuing && (line.Length == 0 || line[0] == '#' || line[0] == '!'))
            {
                continue;
            }
            if (EndsWithOddBackslashes(line))
            {
                current.Append(line, 0, line.Length - 1);
                continuing = true;
                continue;
            }
            current.Append(line);
            continuing = false;
            yield return current.ToString();
            current.Clear();
        }
        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    private static bool EndsWithOddBackslashes(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }
        return count % 2 == 1;
    }

    private static (string Key, string Value) SplitKeyValue(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }
            if (c is '=' or ':' or ' ' or '\t' or '\f')
            {
                break;
            }
            i++;
        }
        var key = line[..Math.Min(i, line.Length)];
        var rest = i < line.Length ? line[i..] : "";
        rest = rest.TrimStart(' ', '\t', '\f');
        if (rest.Length > 0 && (rest[0] == '=' || rest[0] == ':'))
        {
            rest = rest[1..].TrimStart(' ', '\t', '\f');
        }
        return (key, rest);
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }
            var next = text[++i];
            switch (next)
            {
                case 't': result.Append('\t'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 'f': result.Append('\f'); break;
                case 'u' when i + 4 < text.Length
                    && int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(next); break;
            }
        }
        return result.ToString();
    }
}
