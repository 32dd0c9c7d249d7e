using System.Text.RegularExpressions;
using Kmap.Cli.Tests.Support;

namespace Kmap.Cli.Tests.Commands;

/// <summary>Completion scripts, every command's --help, and docs/cli.md generated from the same parser.</summary>
public partial class CompletionAndHelpTests
{
    [GeneratedRegex(@"(?m)^## (kmap(?: [a-z-]+)*)$")]
    private static partial Regex CommandHeading();

    private static async Task<string> CompleteAsync(string script, IReadOnlyDictionary<string, string?> env, params string[] words)
    {
        var line = string.Join(' ', words.Select(w => "'" + w + "'"));
        var run = await ProcessRunner.RunAsync("bash", ["-c", $"source '{script}' && COMP_WORDS=({line}) && COMP_CWORD={words.Length - 1} && _kmap && printf '%s\\n' \"${{COMPREPLY[@]}}\""],
            environment: env);
        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        return run.Stdout;
    }

    [Fact]
    public async Task The_bash_script_loads_without_errors_and_completes_commands_options_and_context_names()
    {
        using var dir = new TempDirectory();
        var env = new Dictionary<string, string?> { ["KMAP_CONFIG"] = dir.File("config.yaml") };
        Assert.Equal(0, (await KmapBinary.RunAsync(dir.Path, env, "config", "add", "prod-eu", "--brokers", "a:1")).ExitCode);
        Assert.Equal(0, (await KmapBinary.RunAsync(dir.Path, env, "config", "add", "prod-us", "--brokers", "b:1")).ExitCode);
        var generated = await KmapBinary.RunAsync(dir.Path, env, "completion", "bash");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var script = dir.File("kmap.bash");
        File.WriteAllText(script, generated.Stdout);

        var load = await ProcessRunner.RunAsync("bash", ["-c", $"set -eu; source '{script}'; complete -p kmap"]);
        Assert.True(load.ExitCode == 0 && load.Stderr.Length == 0, load.ToString());
        Assert.Contains("-F _kmap kmap", load.Stdout, StringComparison.Ordinal);

        Assert.Equal("consumer-groups\nconfig\n", await CompleteAsync(script, env, "kmap", "con"));
        Assert.Equal("list\n", await CompleteAsync(script, env, "kmap", "config", "l"));
        Assert.Contains("--reset-offsets\n", await CompleteAsync(script, env, "kmap", "consumer-groups", "--re"), StringComparison.Ordinal);
        Assert.Contains("--context\n", await CompleteAsync(script, env, "kmap", "consumer-groups", "--cont"), StringComparison.Ordinal);
        Assert.Contains("-save-offsets\n", await CompleteAsync(script, env, "kmap", "-sa"), StringComparison.Ordinal);
        Assert.Equal("prod-eu\nprod-us\n", await CompleteAsync(script, env, KmapBinary.Path, "--context", "prod"));
        Assert.Equal("json\n", await CompleteAsync(script, env, "kmap", "config", "list", "--format", "j"));
    }

    /// <summary>A temporary config with two contexts, and the generated script for <paramref name="shell"/> written beside it.</summary>
    private static async Task<(Dictionary<string, string?> Env, string Script)> GenerateAsync(TempDirectory dir, string shell)
    {
        // HOME and ZDOTDIR in the temporary directory: compinit writes its dump file there, and no user rc file is read.
        var env = new Dictionary<string, string?> { ["KMAP_CONFIG"] = dir.File("config.yaml"), ["HOME"] = dir.Path, ["ZDOTDIR"] = dir.Path, ["XDG_CONFIG_HOME"] = dir.Path };
        Assert.Equal(0, (await KmapBinary.RunAsync(dir.Path, env, "config", "add", "prod-eu", "--brokers", "a:1")).ExitCode);
        Assert.Equal(0, (await KmapBinary.RunAsync(dir.Path, env, "config", "add", "prod-us", "--brokers", "b:1")).ExitCode);
        var generated = await KmapBinary.RunAsync(dir.Path, env, "completion", shell);
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var script = dir.File("kmap." + shell);
        File.WriteAllText(script, generated.Stdout);
        // The scripts call `kmap` by name for context names: put this build first on PATH.
        env["PATH"] = Path.GetDirectoryName(KmapBinary.Path) + ":" + Environment.GetEnvironmentVariable("PATH");
        return (env, script);
    }

    [Fact]
    public async Task The_zsh_script_loads_under_compinit_without_errors_and_completes_through_bashcompinit()
    {
        using var dir = new TempDirectory();
        var (env, script) = await GenerateAsync(dir, "zsh");

        // A non-interactive zsh: load the script (it runs compinit and bashcompinit), then ask what zsh would complete
        // with. bashcompinit runs the bash function with ksharrays, and zsh itself filters the candidates by prefix.
        static string Complete(string words, int current) =>
            $"setopt ksharrays; COMP_WORDS=({words}); COMP_CWORD={current}; _kmap; print -rl -- \"${{COMPREPLY[@]}}\"; setopt noksharrays; ";
        var run = await ProcessRunner.RunAsync("zsh", ["-c",
            $"source '{script}' || exit 1; print -r -- \"binding: $_comps[kmap]\"; whence -w _kmap; "
            + Complete("kmap ''", 1) + "print -- ---; " + Complete("kmap consumer-groups --re", 2) + "print -- ---; " + Complete("kmap --context prod", 2)],
            environment: env);

        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        Assert.Contains("binding: _bash_complete -o default -F _kmap\n_kmap: function\n", run.Stdout, StringComparison.Ordinal);
        var answers = run.Stdout.Split("---\n");
        Assert.Contains("\nconsumer-groups\n", answers[0], StringComparison.Ordinal);
        Assert.Contains("\nbackup\n", answers[0], StringComparison.Ordinal);
        Assert.Contains("--reset-offsets\n", answers[1], StringComparison.Ordinal);
        Assert.DoesNotContain("\nbackup\n", answers[1], StringComparison.Ordinal);
        Assert.Equal("prod-eu\nprod-us\n", answers[2]);
    }

    [Fact]
    public async Task The_fish_script_loads_without_errors_and_completes_commands_options_and_context_names()
    {
        using var dir = new TempDirectory();
        var (env, script) = await GenerateAsync(dir, "fish");

        var run = await ProcessRunner.RunAsync("fish", ["--no-config", "-c",
            $"source '{script}'; or exit 1; complete -C 'kmap back'; echo ---; complete -C 'kmap consumer-groups --res'; echo ---; "
            + "complete -C 'kmap --context prod'; echo ---; complete -C 'kmap config l'"],
            environment: env);

        Assert.True(run.ExitCode == 0 && run.Stderr.Length == 0, run.ToString());
        var answers = run.Stdout.Split("---\n").Select(a => a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]).ToList()).ToList();
        Assert.Equal(["backup"], answers[0]);
        Assert.Contains("--reset-offsets", answers[1]);
        Assert.Equal(["prod-eu", "prod-us"], answers[2]);
        Assert.Equal(["list"], answers[3]);
    }

    [Fact]
    public async Task The_zsh_and_fish_scripts_name_every_command()
    {
        var zsh = await CliRun.RunAsync("completion", "zsh");
        var fish = await CliRun.RunAsync("completion", "fish");
        var bad = await CliRun.RunAsync("completion", "tcsh");

        Assert.StartsWith("#compdef kmap", zsh.Stdout, StringComparison.Ordinal);
        Assert.Contains("bashcompinit", zsh.Stdout, StringComparison.Ordinal);
        foreach (var command in new[] { "consumer-groups", "sandbox", "config", "completion" })
        {
            Assert.Contains($"-n '__fish_use_subcommand' -a {command} ", fish.Stdout, StringComparison.Ordinal);
        }
        Assert.Contains("-a use ", fish.Stdout, StringComparison.Ordinal);
        Assert.Contains("-a docs ", fish.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Every_command_has_help_with_examples_exit_status_and_environment()
    {
        var docs = await CliRun.RunAsync("docs", "cli");
        var commands = CommandHeading().Matches(docs.Stdout).Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("kmap config show", commands);
        Assert.Contains("kmap consumer-groups", commands);
        foreach (var command in commands)
        {
            var help = await CliRun.RunAsync([.. command.Split(' ').Skip(1), "--help"]);
            Assert.True(help.ExitCode == 0, $"{command}: {help}");
            Assert.Contains("Usage:", help.Stdout, StringComparison.Ordinal);
            Assert.Contains("Exit status:", help.Stdout, StringComparison.Ordinal);
            Assert.Contains("KMAP_BROKERS", help.Stdout, StringComparison.Ordinal);
            Assert.True(help.Stdout.Contains("Example", StringComparison.Ordinal) || help.Stdout.Contains("Commands:", StringComparison.Ordinal),
                $"{command} --help has no example:\n{help.Stdout}");
        }
    }

    [Fact]
    public async Task Docs_cli_md_is_what_the_parser_generates()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "kmap.slnx")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var generated = await CliRun.RunAsync("docs", "cli");

        var committed = File.ReadAllText(Path.Combine(root.FullName, "docs", "cli.md"));

        Assert.True(committed == generated.Stdout, "docs/cli.md is stale: regenerate it with `./kmap docs cli > docs/cli.md`");
        Assert.Contains("## kmap -flags", committed, StringComparison.Ordinal);
    }
}
