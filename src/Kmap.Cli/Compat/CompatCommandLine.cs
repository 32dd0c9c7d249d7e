using System.CommandLine;
using System.Globalization;

namespace Kmap.Cli.Compat;

/// <summary>
/// Parses the Go tool's flags with System.CommandLine: each flag is an option with the aliases `-name`
/// and `--name` (plus its Go aliases), so `-brokers x`, `-brokers=x`, `--brokers x` and `--brokers=x` all
/// work, and booleans accept `-tls-skip-verify` or `-tls-skip-verify=false`. No response files, no
/// bundling: a group or file name is never reinterpreted.
/// </summary>
internal static class CompatCommandLine
{
    public static CompatParseResult Parse(IReadOnlyList<string> args)
    {
        var command = new Command("kmap");
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var flag in CompatFlags.All)
        {
            string[] aliases = ["--" + flag.Name, .. flag.Aliases.SelectMany(a => new[] { "-" + a, "--" + a })];
            Option option = flag.IsBool
                ? new Option<bool>("-" + flag.Name, aliases)
                // string[] so that a repeated flag is not an error: as with Go's flag package, the last one wins.
                : new Option<string[]>("-" + flag.Name, aliases);
            options[flag.Name] = option;
            command.Options.Add(option);
        }
        var result = command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null, EnablePosixBundling = false });
        if (result.Errors.Count > 0)
        {
            return CompatParseResult.Fail(string.Join("; ", result.Errors.Select(e => e.Message)));
        }
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, option) in options)
        {
            if (result.GetResult(option) is not { Implicit: false })
            {
                continue;
            }
            values[name] = option switch
            {
                Option<bool> b => result.GetValue(b) ? "true" : "false",
                Option<string[]> s => result.GetValue(s) is [.., var last] ? last : "",
                _ => throw new InvalidOperationException(name),
            };
        }
        return new CompatParseResult(values, null);
    }

    public static string Describe(GoFlag flag)
    {
        var names = string.Join(", ", new[] { flag.Name }.Concat(flag.Aliases).Select(n => "-" + n));
        var value = flag.IsBool ? "" : " " + (flag.ValueName ?? "value");
        return string.Create(CultureInfo.InvariantCulture, $"  {names}{value}\n        {flag.Help}");
    }
}
