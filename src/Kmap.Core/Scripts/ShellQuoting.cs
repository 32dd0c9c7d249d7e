using System.Globalization;
using System.Text;

namespace Kmap.Core.Scripts;

/// <summary>Turns strings into shell data that the shell never evaluates.</summary>
public static class ShellQuoting
{
    /// <summary>A single-quoted bash word: nothing inside is expanded; a quote is written as '\''.</summary>
    public static string SingleQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// Encodes a string for one line of a data block, decoded in bash by `printf '%b'`:
    /// backslash, tab, controls and line breaks become escapes, so a value can never end the line,
    /// split a field or look like the here-document's delimiter. printf %b only decodes; it runs nothing.
    /// </summary>
    public static string EscapeForPrintfB(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                case < 0x20 or 0x7f:
                    // \0nnn is the octal form printf %b understands.
                    text.Append("\\0").Append(Convert.ToString(rune.Value, 8).PadLeft(3, '0'));
                    break;
                case 0x2028 or 0x2029 or 0x85:
                    // Unicode line separators: kept as UTF-8 bytes in octal so no editor splits the line.
                    foreach (var b in Encoding.UTF8.GetBytes(rune.ToString()))
                    {
                        text.Append("\\0").Append(Convert.ToString(b, 8).PadLeft(3, '0'));
                    }
                    break;
                default: text.Append(rune.ToString()); break;
            }
        }
        return text.ToString();
    }

    public static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
