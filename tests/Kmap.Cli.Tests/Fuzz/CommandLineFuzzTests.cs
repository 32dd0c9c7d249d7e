using System.Text.RegularExpressions;
using CsCheck;
using Kmap.Cli.Compat;
using Kmap.Core.Config;

namespace Kmap.Cli.Tests.Fuzz;

/// <summary>
/// Fuzzing of both command-line families with a fixed seed and a few seconds' budget: the compatibility flags
/// (parsed, then turned into connection settings) and every sub-command's parser. Hostile tokens give a result,
/// a usage error or help, never an unhandled exception.
/// </summary>
public class CommandLineFuzzTests
{
    private const string Seed = "0N0XIzNsQ0O2";

    private static readonly string[] Hostile =
    [
        "", " ", "-", "--", "---", "=", "-=", "--=x", "@file", "@", "'", "\"", "$(id)", "`id`", "a;b", "a\nb", "\t", "\u0000", "ünïcødé", "グループ",
        "<b>x</b>", "\u202e", "-1", "0", "99999999999999999999", "true", "false", "localhost:9092", "a,b,,c", "../../etc/passwd", new string('x', 5000),
        "PLAIN", "SASL_SSL", "bogus", "2026-01-20T15:30:04Z", "PT10M", "-P1D", "1s", "--help=x", "-h=1",
    ];

    private static Gen<string> Token(IEnumerable<string> flags) => Gen.Frequency(
        (3, Gen.OneOfConst([.. flags])),
        (2, Gen.OneOfConst(Hostile)),
        (1, Gen.String[0, 12]),
        (1, Gen.Select(Gen.OneOfConst([.. flags]), Gen.OneOfConst(Hostile), (flag, value) => $"{flag}={value}")));

    [Fact]
    public void Compat_flags_parse_into_settings_or_fail_with_a_usage_message()
    {
        var flags = CompatFlags.All.SelectMany(f => new[] { "-" + f.Name, "--" + f.Name }.Concat(f.Aliases.Select(a => "-" + a))).ToList();
        var iterations = 0;
        Token(flags).Array[0, 10].Sample(args =>
        {
            iterations++;
            var parsed = CompatCommandLine.Parse(args);
            if (parsed.Error is not null)
            {
                Assert.NotEmpty(parsed.Error);
                return;
            }
            Assert.All(parsed.Values.Keys, name => Assert.Contains(CompatFlags.All, f => f.Name == name));
            var auth = new AuthFlags
            {
                BootstrapServers = parsed.Get(CompatFlags.Brokers),
                SecurityProtocol = parsed.Get(CompatFlags.SecurityProtocol),
                SaslMechanism = parsed.Get(CompatFlags.SaslMechanism),
                SaslUsername = parsed.Get(CompatFlags.SaslUsername),
                SaslPassword = parsed.Get(CompatFlags.SaslPassword),
                TlsCa = parsed.Get(CompatFlags.TlsCa),
                TlsCert = parsed.Get(CompatFlags.TlsCert),
                TlsKey = parsed.Get(CompatFlags.TlsKey),
                TlsSkipVerify = parsed.Flag(CompatFlags.TlsSkipVerify),
                CommandConfig = parsed.Get(CompatFlags.CommandConfig),
            };
            try
            {
                ConnectionSettingsBuilder.Build(auth, _ => null, path => throw new FileNotFoundException($"no file {path}"), _ => { });
            }
            catch (FormatException e)
            {
                Assert.NotEmpty(e.Message);
            }
        }, seed: Seed, iter: 5_000, threads: 1);

        Assert.Equal(5_000, iterations);
    }

    [Fact]
    public async Task Every_sub_command_parser_answers_hostile_arguments_with_help_or_a_usage_error()
    {
        string[] commands = ["backup", "restore", "verify", "diff", "consumer-groups", "report", "topic-sizes", "compare", "sync", "topics", "recreate-topics",
            "config", "config add", "config show", "completion", "sandbox", "demo"];
        string[] options = ["--brokers", "--bootstrap-server", "--from", "--execute", "--group", "--all-groups", "--topic", "--reset-offsets", "--to-offset",
            "--to-datetime", "--by-duration", "--shift-by", "--format", "--output", "--include-groups", "--exclude-groups", "--translate", "--timeout",
            "--command-config", "--security-protocol", "--sasl-mechanism", "--sasl-username", "--sasl-password", "--tls-ca", "--tls-skip-verify",
            "--context", "--concurrency", "--out-of-range", "--list", "--describe", "--delete", "--export", "--dry-run", "--verbose", "-h", "-?"];
        var input = Gen.Select(Gen.OneOfConst(commands), Token(options).Array[0, 8]);
        var samples = new List<(string Command, string[] Args)>();
        input.Sample((command, args) => samples.Add((command, args)), seed: Seed, iter: 300, threads: 1);

        foreach (var (command, args) in samples)
        {
            // --help last: a parse that succeeds shows help instead of running the command, so no cluster is contacted.
            // An option still waiting for its value would take "--help" as that value, so it gets one first;
            // "--from=" with nothing after '=' waits for its value in the next token as well.
            string[] switches = ["--execute", "--all-groups", "--reset-offsets", "--tls-skip-verify", "--list", "--describe", "--delete", "--export", "--dry-run", "--verbose", "-h", "-?"];
            // After a bare "--" every token is an operand, "--help" too (kmap diff would then open the files named),
            // so "--help" goes before the first "--".
            var end = Array.IndexOf(args, "--");
            var (before, after) = end < 0 ? (args, Array.Empty<string>()) : (args[..end], args[end..]);
            var waiting = before is [.., var last] && ((options.Contains(last) && !switches.Contains(last)) || (last.EndsWith('=') && options.Contains(last[..^1])));
            string[] line = [.. command.Split(' '), .. before, .. waiting ? new[] { "value" } : [], "--help", .. after];
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var exit = await KmapApp.RunAsync(line, new CliContext(stdout, stderr, _ => null), limit.Token);

            var shown = $"kmap {string.Join(' ', line.Select(a => a.Length > 40 ? a[..40] + "…" : a))}\nexit {exit}\n{stderr}";
            Assert.True(exit is ExitCodes.Success or ExitCodes.Usage, shown);
            Assert.DoesNotContain("unexpected error", stderr.ToString(), StringComparison.Ordinal);
            Assert.True(exit == ExitCodes.Usage ? Regex.IsMatch(stderr.ToString(), @"Run 'kmap( [a-z-]+)* --help' for usage.\n$") : stdout.ToString().Contains("Usage:", StringComparison.Ordinal), shown);
        }
    }

    [Theory]
    [InlineData("diff", "a\0b.json", "b.json")]
    [InlineData("restore", "--brokers", "localhost:1", "--from", "\0")]
    [InlineData("-brokers", "localhost:1", "-save-offsets", "x\0.json")]
    public async Task An_argument_with_a_NUL_character_is_a_usage_error_naming_it(params string[] line)
    {
        var stderr = new StringWriter();

        var exit = await KmapApp.RunAsync(line, new CliContext(new StringWriter(), stderr, _ => null), TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains($"argument {Array.FindIndex(line, a => a.Contains('\0', StringComparison.Ordinal)) + 1} contains a NUL character", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected error", stderr.ToString(), StringComparison.Ordinal);
    }
}
