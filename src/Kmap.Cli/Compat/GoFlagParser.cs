using System.Globalization;

namespace Kmap.Cli.Compat;

/// <summary>
/// Parses flags the way Go's `flag` package does, which the Go tool's users rely on: `-name value`,
/// `-name=value`, `--name value`, `--name=value`; booleans take no value unless written `-name=false`;
/// a value flag takes the next argument even when it starts with '-'; `--` ends the flags; the last
/// occurrence of a flag wins. System.CommandLine treats single-dash words as bundled short options and
/// has no Go boolean rules, hence this small parser.
/// </summary>
internal static class GoFlagParser
{
    public static GoFlagParseResult Parse(IReadOnlyList<string> args, IReadOnlyList<GoFlag> flags)
    {
        var byName = new Dictionary<string, GoFlag>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            byName[flag.Name] = flag;
            foreach (var alias in flag.Aliases)
            {
                byName[alias] = flag;
            }
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                positional.AddRange(args.Skip(i));
                break;
            }
            var body = arg[1] == '-' ? arg[2..] : arg[1..];
            if (body.Length == 0 || body[0] == '-' || body[0] == '=')
            {
                return GoFlagParseResult.Fail($"bad flag syntax: {arg}");
            }
            var equals = body.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? body : body[..equals];
            string? inline = equals < 0 ? null : body[(equals + 1)..];
            if (!byName.TryGetValue(name, out var flag))
            {
                return GoFlagParseResult.Fail($"flag provided but not defined: -{name}");
            }
            if (flag.IsBool)
            {
                if (inline is null)
                {
                    values[flag.Name] = "true";
                }
                else if (ParseBool(inline) is { } b)
                {
                    values[flag.Name] = b ? "true" : "false";
                }
                else
                {
                    return GoFlagParseResult.Fail($"invalid boolean value \"{inline}\" for -{name}");
                }
                continue;
            }
            if (inline is null)
            {
                if (i + 1 >= args.Count)
                {
                    return GoFlagParseResult.Fail($"flag needs an argument: -{name}");
                }
                inline = args[++i];
            }
            values[flag.Name] = inline;
        }
        return new GoFlagParseResult(values, positional, null);
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    private static bool? ParseBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };

    public static string Describe(GoFlag flag)
    {
        var names = string.Join(", ", new[] { flag.Name }.Concat(flag.Aliases).Select(n => "-" + n));
        var value = flag.IsBool ? "" : " " + (flag.ValueName ?? "value");
        return string.Create(CultureInfo.InvariantCulture, $"  {names}{value}\n        {flag.Help}");
    }
}

/// <summary>Flag values by canonical name, leftover arguments, or the usage error.</summary>
internal sealed record GoFlagParseResult(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Positional, string? Error)
{
    public static GoFlagParseResult Fail(string error) => new(new Dictionary<string, string>(), [], error);

    public string? Get(string name) => Values.TryGetValue(name, out var v) ? v : null;

    public bool IsSet(string name) => Values.ContainsKey(name);

    public bool Flag(string name) => Values.TryGetValue(name, out var v) && v == "true";
}
