using Kmap.Core.Model;
using Kmap.Core.Scripts;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Scripts;

public class RestoreScriptTests
{
    private static readonly DateTimeOffset At = Samples.GuideTime;

    private static OffsetBackup Backup(string cluster, params (string Group, (string Topic, int Partition, long Offset)[] Offsets)[] groups) =>
        new(At, cluster, groups.Select(g => new GroupOffsets(g.Group, g.Offsets.Select(o => new BackedUpOffset(o.Topic, o.Partition, o.Offset)).ToList(), At)).ToList());

    private static OffsetBackup TwoGroups() => Backup("source:9092",
        ("orders-app", [("orders", 1, 67890), ("orders", 0, 12345), ("payments", 0, 98765)]),
        ("billing", [("invoices", 2, 7)]));

    private sealed class Fixture : IDisposable
    {
        public TempDirectory Dir { get; } = new();
        public StandInTool Tool { get; }
        public string Script { get; }
        public string Home { get; }

        public Fixture(OffsetBackup backup, RestoreScriptOptions? options = null)
        {
            Tool = new StandInTool(Dir.Path);
            Home = Directory.CreateDirectory(Dir.File("home")).FullName;
            File.WriteAllText(Path.Combine(Home, "canary"), "still here");
            Script = Dir.File("restore-offsets.sh");
            File.WriteAllText(Script, RestoreScriptWriter.Write(backup, options ?? new RestoreScriptOptions()));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        public Task<ProcessRunner.Result> RunAsync(Dictionary<string, string?>? extra = null, params string[] args)
        {
            var env = Tool.Environment(Home);
            env["TMPDIR"] = Directory.CreateDirectory(Dir.File("tmp")).FullName;
            foreach (var (k, v) in extra ?? [])
            {
                env[k] = v;
            }
            return ProcessRunner.RunAsync("bash", [Script, .. args], environment: env, workingDirectory: Dir.Path);
        }

        public void Dispose() => Dir.Dispose();
    }

    [Fact]
    public async Task The_script_passes_bash_n_and_shellcheck()
    {
        using var f = new Fixture(Backup("localhost:9092", ("g", [("t", 0, 1)])), new RestoreScriptOptions { KmapPath = "/opt/kmap it's/kmap" });

        var syntax = await ProcessRunner.RunAsync("bash", ["-n", f.Script]);
        var lint = await ProcessRunner.RunAsync("shellcheck", ["-s", "bash", f.Script]);

        Assert.True(syntax.ExitCode == 0, syntax.ToString());
        Assert.True(lint.ExitCode == 0, lint.ToString());
    }

    [Fact]
    public async Task One_call_per_group_with_Kafkas_three_column_csv_and_execute()
    {
        using var f = new Fixture(TwoGroups());

        var result = await f.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = f.Tool.Calls();
        Assert.Equal(2, calls.Count);
        Assert.Equal(["--bootstrap-server", "source:9092", "--group=billing", "--reset-offsets", "--from-file"], calls[0].Args.Take(5));
        Assert.Equal("--execute", calls[0].Args[^1]);
        Assert.Equal(7, calls[0].Args.Count);
        Assert.Equal("invoices,2,7\n", calls[0].Csv);
        Assert.Equal("orders-app", calls[1].Group);
        Assert.Equal("orders,0,12345\norders,1,67890\npayments,0,98765\n", calls[1].Csv);
        Assert.Contains("[1/2] billing\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("[2/2] orders-app\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 of 2 group(s) restored, 0 failed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Share_groups_are_not_restored_by_the_script_which_says_so_and_names_kmap_restore()
    {
        var backup = TwoGroups();
        backup = backup with
        {
            ConsumerGroups = [.. backup.ConsumerGroups, new GroupOffsets("work queue's", [new BackedUpOffset("orders", 0, 3)], At) { Type = GroupType.Share }],
        };
        using var f = new Fixture(backup, new RestoreScriptOptions { BackupFileName = "offsets.json" });

        var result = await f.RunAsync();
        var lint = await ProcessRunner.RunAsync("shellcheck", ["-s", "bash", f.Script]);

        Assert.True(lint.ExitCode == 0, lint.ToString());
        // The two other groups are restored with Kafka's tool; the share group never reaches it.
        Assert.Equal(2, f.Tool.Calls().Count);
        Assert.DoesNotContain(f.Tool.Calls(), c => c.Args.Any(a => a.Contains("work queue", StringComparison.Ordinal)));
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("does not restore the 1 share group(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--to-earliest", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("kmap restore --brokers source:9092 --from offsets.json --include-groups work\\ queue\\'s --execute", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("work queue's (share group: not restored by this script)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Not restored:  1 share group(s)", File.ReadAllText(f.Script), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_come_from_the_environment_without_editing()
    {
        using var f = new Fixture(TwoGroups());
        var properties = f.Dir.File("client props.properties");
        File.WriteAllText(properties, "security.protocol=SASL_SSL\n");

        var result = await f.RunAsync(new()
        {
            ["BOOTSTRAP_SERVERS"] = "target:9093",
            ["COMMAND_CONFIG"] = $"--command-config {properties}",
            ["DRY_RUN"] = "1",
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        var args = f.Tool.Calls()[0].Args;
        Assert.Equal(["--bootstrap-server", "target:9093", "--command-config", properties, "--group=billing"], args.Take(5));
        Assert.Equal("--dry-run", args[^1]);
        Assert.DoesNotContain("--execute", args);
        Assert.Contains("dry run, nothing changed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_guides_manual_edits_work_uncommented_command_config_and_execute_turned_into_dry_run()
    {
        using var f = new Fixture(TwoGroups());
        var properties = f.Dir.File("client.properties");
        File.WriteAllText(properties, "security.protocol=SSL\n");
        var text = File.ReadAllText(f.Script);
        Assert.Single(text.Split('\n'), l => l.Contains("--execute", StringComparison.Ordinal));
        text = text.Replace("# COMMAND_CONFIG=\"--command-config /path/to/client.properties\"", $"COMMAND_CONFIG=\"--command-config {properties}\"", StringComparison.Ordinal)
                   .Replace("--execute", "--dry-run", StringComparison.Ordinal);
        File.WriteAllText(f.Script, text);

        var result = await f.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(f.Tool.Calls(), c =>
        {
            Assert.Equal("--dry-run", c.Args[^1]);
            Assert.Equal(["--command-config", properties], c.Args.Skip(2).Take(2));
        });
    }

    [Fact]
    public async Task An_active_group_reported_with_Error_and_exit_0_counts_as_failed_and_the_rest_goes_on()
    {
        using var f = new Fixture(TwoGroups());
        File.WriteAllText(f.Tool.ActiveGroupsFile, "billing\n");

        var result = await f.RunAsync();

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(2, f.Tool.Calls().Count);
        Assert.Contains("1 of 2 group(s) restored, 1 failed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Failed groups:\n  billing\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_zero_exit_is_a_failure_and_all_failed_exits_1()
    {
        using var f = new Fixture(TwoGroups());
        File.WriteAllText(f.Tool.BrokenGroupsFile, "billing\norders-app\n");

        var result = await f.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("0 of 2 group(s) restored, 2 failed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Started_with_sh_it_runs_itself_again_with_bash()
    {
        using var f = new Fixture(TwoGroups());
        var env = f.Tool.Environment(f.Home);
        env["DRY_RUN"] = "yes";

        var result = await ProcessRunner.RunAsync("sh", [f.Script], environment: env, workingDirectory: f.Dir.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(f.Tool.Calls(), c => Assert.Equal("--dry-run", c.Args[^1]));
    }

    [Fact]
    public async Task Group_option_restores_a_subset_and_an_unknown_name_is_a_usage_error()
    {
        using var f = new Fixture(TwoGroups());

        var subset = await f.RunAsync(null, "--group", "orders-app");
        var unknown = await f.RunAsync(null, "--group", "nope");

        Assert.True(subset.ExitCode == 0, subset.ToString());
        Assert.Equal(["orders-app"], f.Tool.Calls().Select(c => c.Group));
        Assert.Contains("[1/1] orders-app", subset.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
    }

    [Fact]
    public async Task Help_explains_the_settings_and_the_temp_directory_is_removed()
    {
        using var f = new Fixture(TwoGroups());

        var help = await f.RunAsync(null, "--help");
        var callsAfterHelp = f.Tool.Calls().Count;
        var run = await f.RunAsync();

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("BOOTSTRAP_SERVERS", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("DRY_RUN=1", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, callsAfterHelp);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, f.Tool.Calls().Count);
        Assert.Empty(Directory.GetFileSystemEntries(f.Dir.File("tmp")));
    }

    [Fact]
    public async Task Without_kafka_tools_the_script_calls_back_the_kmap_that_wrote_it()
    {
        using var dir = new TempDirectory();
        var kmap = new StandInTool(dir.Path, "kmap");
        var script = dir.File("restore.sh");
        File.WriteAllText(script, RestoreScriptWriter.Write(TwoGroups(), new RestoreScriptOptions { KmapPath = kmap.ToolPath }));
        var env = kmap.Environment(dir.Path);
        env["PATH"] = "/usr/bin:/bin";

        var result = await ProcessRunner.RunAsync("bash", [script], environment: env);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.All(kmap.Calls(), c => Assert.Equal("consumer-groups", c.Args[0]));
    }

    public static TheoryData<string> HostileNames() =>
    [
        "$(rm -rf ~)",
        "`rm -rf ~`",
        "'; rm -rf ~; echo '",
        "\"; rm -rf ~; echo \"",
        "new\nline; rm -rf ~",
        "tab\tand\\backslash\\n and \\c and %s%n",
        "ünïcødé グループ 🚀",
        "--execute",
        "-rf",
        "@/etc/passwd",
        "KMAP_OFFSET_DATA",
        "USAGE",
        " leading and trailing spaces ",
        "${HOME}",
        "line\u2028separator\r\nand crlf",
        "bell\u0007and\u001besc[31m",
    ];

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_group_names_reach_the_tool_as_data_and_are_never_executed(string name)
    {
        using var f = new Fixture(Backup("source:9092", (name, [("orders", 0, 5)]), ("plain", [("orders", 1, 6)])));

        var result = await f.RunAsync();
        var syntax = await ProcessRunner.RunAsync("bash", ["-n", f.Script]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, syntax.ExitCode);
        Assert.True(File.Exists(Path.Combine(f.Home, "canary")), "the canary in $HOME was removed: a group name ran as code");
        var calls = f.Tool.Calls();
        Assert.Equal(new[] { name, "plain" }.Order(StringComparer.Ordinal), calls.Select(c => c.Group));
        Assert.Equal("orders,0,5\n", calls.Single(c => c.Group == name).Csv);
    }

    [Fact]
    public void A_topic_name_Kafka_would_not_allow_is_refused_instead_of_written()
    {
        var backup = Backup("c:9092", ("g", [("bad,topic", 0, 1)]));

        Assert.Throws<FormatException>(() => RestoreScriptWriter.Write(backup, new RestoreScriptOptions()));
    }

    [Fact]
    public async Task A_hostile_bootstrap_list_and_kmap_path_stay_data()
    {
        using var f = new Fixture(Backup("$(rm -rf ~):9092", ("g", [("t", 0, 1)])), new RestoreScriptOptions { KmapPath = "/x/'$(rm -rf ~)'/kmap" });

        var result = await f.RunAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("$(rm -rf ~):9092", f.Tool.Calls()[0].Args[1]);
        Assert.True(File.Exists(Path.Combine(f.Home, "canary")));
    }

    [Fact]
    public async Task Batch_mode_restores_the_groups_with_one_call_and_kafkas_multi_group_csv()
    {
        using var f = new Fixture(Backup("source:9092",
            ("orders-app", [("orders", 1, 67890), ("orders", 0, 12345)]),
            ("billing", [("invoices", 2, 7)]),
            ("odd,name", [("orders", 0, 5)])));

        var result = await f.RunAsync(null, "--batch");

        Assert.True(result.ExitCode == 0, result.ToString());
        var calls = f.Tool.Calls();
        Assert.Equal(2, calls.Count);
        // A name with a comma cannot be a CSV field: that group goes alone, with the three-column file.
        var batch = calls.Single(c => c.Args.Contains("--group"));
        Assert.Equal(["--bootstrap-server", "source:9092", "--group", "billing", "--group", "orders-app", "--reset-offsets", "--from-file"], batch.Args.Take(8));
        Assert.Equal("billing,invoices,2,7\norders-app,orders,0,12345\norders-app,orders,1,67890\n", batch.Csv);
        Assert.Equal("orders,0,5\n", calls.Single(c => !c.Args.Contains("--group")).Csv);
        Assert.Contains("Summary: 3 of 3 group(s) restored, 0 failed.", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_batch_is_redone_one_group_at_a_time_so_the_summary_names_the_failure()
    {
        using var f = new Fixture(TwoGroups());
        File.WriteAllText(f.Tool.ActiveGroupsFile, "billing\n");

        var result = await f.RunAsync(new() { ["BATCH_SIZE"] = "10" });

        Assert.Equal(3, result.ExitCode);
        var calls = f.Tool.Calls();
        Assert.Equal(3, calls.Count);
        Assert.Equal(["billing", "orders-app"], calls.Skip(1).Select(c => c.Group));
        Assert.Contains("batch failed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Summary: 1 of 2 group(s) restored, 1 failed.\nFailed groups:\n  billing\n", result.Stdout, StringComparison.Ordinal);
    }
}
