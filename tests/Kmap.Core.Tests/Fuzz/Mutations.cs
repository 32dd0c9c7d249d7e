using System.Text;
using CsCheck;

namespace Kmap.Core.Tests.Fuzz;

/// <summary>
/// Generators for the fuzz tests: mutations of a valid input (deletions, insertions of syntax-bearing tokens,
/// byte flips, truncation) and random text, so that both nearly-valid and wholly hostile inputs are tried.
/// </summary>
internal static class Mutations
{
    /// <summary>CsCheck seed shared by the fuzz tests, so a failure reproduces; raise the iterations to fuzz longer.</summary>
    public const string Seed = "0N0XIzNsQ0O2";

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-1", "0", "1e999", "-9223372036854775809", "99999999999999999999",
        "1.5", "\"x\"", "{}", "[]", "\\u0000", "\\ud800", "\u0000", "\r", "\n", "\t", "=", "#", "!", " ", "''", "\"\"", "$(id)", "`id`",
        "\"2026-13-45T99:99:99Z\"", "\"not a time\"", "ünï", "グループ", "<script>", "\u202e", new string('[', 200), new string('{', 70),
    ];

    /// <summary>Random text: printable, control and unicode characters.</summary>
    public static Gen<string> Text { get; } = Gen.OneOf(
        Gen.String[0, 200],
        Gen.String[Gen.Char["{}[]\",:0123456789-.eEtrufalsn \n\\"], 0, 200],
        Gen.String[Gen.Char["=:#! \t\\\nabcuf0123456789.,\"'"], 0, 200]);

    /// <summary>One to four edits of <paramref name="valid"/>.</summary>
    public static Gen<string> Of(string valid) =>
        Gen.Select(Gen.Int[0, 4], Gen.Double[0, 1], Gen.Int[0, Tokens.Length - 1], Gen.Int[1, 20]).List[1, 4].Select(edits =>
        {
            var text = new StringBuilder(valid);
            foreach (var (kind, where, token, length) in edits)
            {
                var at = (int)(where * text.Length);
                switch (kind)
                {
                    case 0:
                        text.Remove(at, Math.Min(length, text.Length - at));
                        break;
                    case 1:
                        text.Insert(at, Tokens[token]);
                        break;
                    case 2 when at < text.Length:
                        text[at] = (char)(text[at] ^ (1 << (length % 8)));
                        break;
                    case 3:
                        text.Length = at;
                        break;
                    default:
                        var copyFrom = (int)((1 - where) * text.Length);
                        text.Insert(at, text.ToString(copyFrom, Math.Min(length * 4, text.Length - copyFrom)));
                        break;
                }
            }
            return text.ToString();
        });
}
