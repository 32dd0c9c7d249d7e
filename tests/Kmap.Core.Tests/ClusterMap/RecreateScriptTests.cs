using Kmap.Core.ClusterMap;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.ClusterMap;

public class RecreateScriptTests
{
    // Records each call's arguments, NUL-separated, one file per call; fails for the topic in STANDIN_FAIL.
    private const string StandIn = """
        #!/usr/bin/env bash
        n=$(find "$STANDIN_LOG" -mindepth 1 -maxdepth 1 | wc -l)
        printf '%s\0' "$@" >"$STANDIN_LOG/$(printf '%04d' "$n")"
        for a in "$@"; do
          if [ "$a" = "${STANDIN_FAIL:-}" ]; then echo "Error while executing topic command : boom"; exit 1; fi
        done
        exit 0
        """;

    private static async Task<(ProcessRunner.Result Result, List<string[]> Calls)> RunAsync(string script, TempDirectory dir, Dictionary<string, string?> environment, params string[] args)
    {
        var path = dir.File("recreate-topics.sh");
        await File.WriteAllTextAsync(path, script, TestContext.Current.CancellationToken);
        var tool = dir.File("kafka-topics.sh");
        await File.WriteAllTextAsync(tool, StandIn, TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var log = Directory.CreateDirectory(dir.File("log")).FullName;
        environment["STANDIN_LOG"] = log;
        environment["KAFKA_TOPICS"] = tool;
        var result = await ProcessRunner.RunAsync("bash", [path, .. args], environment: environment, workingDirectory: dir.Path);
        var calls = Directory.GetFiles(log).Order(StringComparer.Ordinal)
            .Select(f => File.ReadAllText(f).TrimEnd('\0').Split('\0')).ToList();
        return (result, calls);
    }

    [Fact]
    public async Task Passes_shellcheck_and_bash_n()
    {
        using var dir = new TempDirectory();
        var path = dir.File("recreate-topics.sh");
        await File.WriteAllTextAsync(path, RecreateScriptWriter.Write(SampleMaps.Small(), "1.2.3", "/opt/it's/kmap"), TestContext.Current.CancellationToken);

        var shellcheck = await ProcessRunner.RunAsync("shellcheck", [path]);
        var syntax = await ProcessRunner.RunAsync("bash", ["-n", path]);

        Assert.True(shellcheck.ExitCode == 0, shellcheck.ToString());
        Assert.True(syntax.ExitCode == 0, syntax.ToString());
    }

    [Fact]
    public async Task Creates_each_topic_with_its_own_configs_only_and_names_stay_data()
    {
        using var dir = new TempDirectory();
        var script = RecreateScriptWriter.Write(SampleMaps.Small(), "1.2.3", null);

        var (result, calls) = await RunAsync(script, dir, new() { ["BOOTSTRAP_SERVERS"] = "target:9092" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, calls.Count);
        Assert.Equal(
        [
            "--bootstrap-server", "target:9092", "--create", "--if-not-exists", "--topic", "orders", "--partitions", "2",
            "--replication-factor", "2", "--config", "retention.ms=86400000", "--config", "cleanup.policy=" + SampleMaps.HostileConfigValue,
        ], calls[0]);
        Assert.Equal(["--bootstrap-server", "target:9092", "--create", "--if-not-exists", "--topic", "payments.v1", "--partitions", "1", "--replication-factor", "1"], calls[1]);
        Assert.False(File.Exists(dir.File("pwned")));
        Assert.Contains("[1/2] orders (2 partitions, replication factor 2, 2 config(s))", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Summary: 2 of 2 topic(s) created or already present, 0 failed.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_changes_nothing_and_replication_factor_is_overridable()
    {
        using var dir = new TempDirectory();
        var script = RecreateScriptWriter.Write(SampleMaps.Small(), "1.2.3", null);

        var (result, calls) = await RunAsync(script, dir, new() { ["DRY_RUN"] = "1", ["REPLICATION_FACTOR"] = "1" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(calls);
        Assert.Contains("--replication-factor 1 --config retention.ms=86400000", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Summary (dry run, nothing changed): 2 of 2 topic(s) would be created.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_topic_is_named_and_the_exit_status_says_partial()
    {
        using var dir = new TempDirectory();
        var script = RecreateScriptWriter.Write(SampleMaps.Small(), "1.2.3", null);

        var (result, calls) = await RunAsync(script, dir, new() { ["STANDIN_FAIL"] = "orders" });

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(2, calls.Count);
        Assert.Contains("Failed topics:\n  orders\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Topic_option_creates_a_subset_and_an_unknown_name_is_a_usage_error_before_any_call()
    {
        using var dir = new TempDirectory();
        using var other = new TempDirectory();
        var script = RecreateScriptWriter.Write(SampleMaps.Small(), "1.2.3", null);

        var (subset, subsetCalls) = await RunAsync(script, dir, [], "--topic", "payments.v1");
        var (unknown, unknownCalls) = await RunAsync(script, other, [], "--topic=orders", "--topic", "nosuch");

        Assert.True(subset.ExitCode == 0, subset.ToString());
        Assert.Equal("payments.v1", Assert.Single(subsetCalls)[Array.IndexOf(subsetCalls[0], "--topic") + 1]);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("recreate-topics.sh: no topic named 'nosuch' in this script (see --list) (see --help)", unknown.Stderr, StringComparison.Ordinal);
        Assert.Empty(unknownCalls);
    }

    [Fact]
    public async Task Lists_its_topics_without_the_internal_ones()
    {
        using var dir = new TempDirectory();
        var script = RecreateScriptWriter.Write(SampleMaps.Small(), "1.2.3", null);

        var (result, _) = await RunAsync(script, dir, [], "--list");

        Assert.Equal("orders\npayments.v1\n", result.Stdout);
    }

    [Fact]
    public void Refuses_a_topic_name_kafka_would_refuse()
    {
        var map = SampleMaps.Small();
        map = map with { Topics = [map.Topics[0] with { Name = "bad name;rm" }] };

        Assert.Throws<FormatException>(() => RecreateScriptWriter.Write(map, "1.2.3", null));
    }
}
