using System.Diagnostics;
using Kmap.Cli.Tests.Support;
using Kmap.Conformance.Tests.Support;
using Kmap.Core.Backup;
using Kmap.Sandbox;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Groups;

namespace Kmap.Cli.Tests;

/// <summary>
/// The backup (`kmap -brokers B -save-offsets F`, run as its own process so a crash cannot take the test runner
/// with it) under each sandbox fault. The promise: it either completes with exactly the cluster's offsets, or fails
/// with a message naming a broker and leaves no file. docs/reliability.md records the results.
/// </summary>
public class FaultMatrixTests(ITestOutputHelper output)
{
    private const int Groups = 12;
    private const int Partitions = 3;

    public enum Outcome
    {
        /// <summary>Exit 0 and the file holds exactly the cluster's committed offsets.</summary>
        Complete,

        /// <summary>Non-zero exit, a message naming a broker, no file.</summary>
        FailedCleanly,

        /// <summary>Exit 0 but the file differs from the cluster.</summary>
        WrongContent,

        /// <summary>A file was written though some groups could not be read (exit 3), or a failure left a file behind.</summary>
        PartialFile,

        /// <summary>Non-zero exit and no file, but the message names no broker.</summary>
        FailedUnclearly,

        /// <summary>Killed by a signal (SIGSEGV, SIGABRT).</summary>
        Crashed,

        /// <summary>Still running after the deadline.</summary>
        Hung,
    }

    // Rows whose measured outcome breaks the promise are skipped with that outcome as the reason, so the suite stays
    // green while docs/reliability.md lists them; remove the Skip once kmap handles the fault.

    public static IEnumerable<TheoryDataRow<string, string>> Faults() =>
    [
        new("none", ""),
        new("drop-after=6 (every connection)", "drop-after=6"),
        new("drop-after=10 (every connection)", "drop-after=10"),
        new("drop-after=3 (every connection)", "drop-after=3"),
        new("stall=2000@OffsetFetch", "stall=2000@OffsetFetch"),
        new("stall=forever@OffsetFetch", "stall=forever@OffsetFetch"),
        new("stall=forever@ListGroups", "stall=forever@ListGroups"),
        new("error=0.3:COORDINATOR_LOAD_IN_PROGRESS@OffsetFetch", "seed=1;error=0.3:COORDINATOR_LOAD_IN_PROGRESS@OffsetFetch"),
        new("error=0.3:REQUEST_TIMED_OUT (all APIs that can carry it)", "seed=1;error=0.3:REQUEST_TIMED_OUT"),
        new("error=0.3:NOT_COORDINATOR@OffsetFetch", "seed=1;error=0.3:NOT_COORDINATOR@OffsetFetch"),
        new("move-coordinators=20", "move-coordinators=20"),
        new("error=0.3:COORDINATOR_NOT_AVAILABLE@FindCoordinator", "seed=1;error=0.3:COORDINATOR_NOT_AVAILABLE@FindCoordinator"),
        new("error=1:COORDINATOR_NOT_AVAILABLE@ListGroups", "error=1:COORDINATOR_NOT_AVAILABLE@ListGroups"),
        new("down=1 (broker 1 stopped throughout)", "down=1:0"),

        // Heavier doses: with many groups per request the rows above inject few errors, these inject many.
        new("error=0.7:NOT_COORDINATOR@OffsetFetch", "seed=3;error=0.7:NOT_COORDINATOR@OffsetFetch"),
        new("error=0.7:COORDINATOR_LOAD_IN_PROGRESS@OffsetFetch", "seed=3;error=0.7:COORDINATOR_LOAD_IN_PROGRESS@OffsetFetch"),
        new("error=0.7:COORDINATOR_NOT_AVAILABLE@FindCoordinator", "seed=3;error=0.7:COORDINATOR_NOT_AVAILABLE@FindCoordinator"),
        new("drop-after=2 (every connection)", "drop-after=2"),
        new("move-coordinators=5", "move-coordinators=5"),
    ];

    /// <summary>Runs one fault and returns what happened, with the evidence.</summary>
    private Task<(Outcome Outcome, string Evidence)> BackupUnderAsync(string spec) => BackupUnderAsync(spec, new SandboxOptions { BrokerCount = 3 }, []);

    /// <summary>Runs one fault on a sandbox with <paramref name="options"/> (e.g. SASL, TLS), kmap getting <paramref name="auth"/> too.</summary>
    private async Task<(Outcome Outcome, string Evidence)> BackupUnderAsync(string spec, SandboxOptions options, string[] auth)
    {
        await using var sandbox = await SandboxCluster.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var expected = new SortedSet<string>(SeedGroups(sandbox, Groups).SelectMany(g => g.Value.Select(o => $"{g.Key} {o}")), StringComparer.Ordinal);
        using var dir = new TempDirectory();
        var (exit, stderr, hung) = await UnderFaultAsync(sandbox, spec,
            () => RunKmapAsync(dir.Path, TimeSpan.FromSeconds(150), ["-brokers", sandbox.BootstrapServers, .. auth, "-save-offsets", "offsets.json"]));
        var files = Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).ToList();
        var evidence = $"exit {exit}, files [{string.Join(", ", files)}], faults: errors {sandbox.Faults.Counters.TotalErrors}, stalls {sandbox.Faults.Counters.Stalls(Sandbox.Protocol.ApiKey.OffsetFetch) + sandbox.Faults.Counters.Stalls(Sandbox.Protocol.ApiKey.ListGroups)}, drops {sandbox.Faults.Counters.Drops}\n--- stderr\n{stderr}";
        if (hung)
        {
            return (Outcome.Hung, evidence);
        }
        if (exit >= 128)
        {
            return (Outcome.Crashed, evidence);
        }
        var file = dir.File("offsets.json");
        if (exit == 0)
        {
            var backup = OffsetBackupJson.Deserialize(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
            var actual = new SortedSet<string>(backup.ConsumerGroups.SelectMany(g => g.Offsets.Select(o => $"{g.Group} {o.Topic}-{o.Partition} {o.Offset}")), StringComparer.Ordinal);
            return (actual.SetEquals(expected) ? Outcome.Complete : Outcome.WrongContent, evidence);
        }
        if (files.Count > 0)
        {
            return (Outcome.PartialFile, evidence);
        }
        var brokers = sandbox.State.Brokers.Select(b => $"{b.Host}:{b.Port}");
        return (brokers.Any(b => stderr.Contains(b, StringComparison.Ordinal)) ? Outcome.FailedCleanly : Outcome.FailedUnclearly, evidence);
    }

    private static async Task MoveWhileRunningAsync(SandboxCluster sandbox, TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                sandbox.MoveCoordinators();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<(int Exit, string Stderr, bool Hung)> RunKmapAsync(string workingDirectory, TimeSpan deadline, params string[] args)
    {
        var run = await ProcessRunner.RunAsync(KmapBinary.Path, args, workingDirectory: workingDirectory, killAfter: deadline);
        return (run.ExitCode, run.Stderr, run.Hung);
    }

    /// <summary>
    /// Runs <paramref name="run"/> while <paramref name="spec"/> holds on the cluster (its error, stall and drop rules, its
    /// stopped brokers, its moving coordinators), then lifts the fault; with <paramref name="restartBrokers"/> the stopped
    /// brokers start again.
    /// </summary>
    private static async Task<T> UnderFaultAsync<T>(SandboxCluster cluster, string spec, Func<Task<T>> run, bool restartBrokers = false)
    {
        using var moving = new CancellationTokenSource();
        var faults = FaultSpec.Parse(spec);
        cluster.Faults.Apply(faults);
        foreach (var outage in faults.Outages)
        {
            await cluster.StopBrokerAsync(outage.BrokerId);
        }
        if (faults.MoveCoordinatorsEvery is { } every)
        {
            _ = MoveWhileRunningAsync(cluster, every, moving.Token);
        }
        try
        {
            return await run();
        }
        finally
        {
            await moving.CancelAsync();
            cluster.Faults.Clear();
            if (restartBrokers)
            {
                foreach (var outage in faults.Outages)
                {
                    await cluster.RestartBrokerAsync(outage.BrokerId);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Backup_under_a_fault_completes_with_the_clusters_offsets_or_fails_cleanly_without_a_file(string fault, string spec)
    {
        var clock = Stopwatch.StartNew();
        var (outcome, evidence) = await BackupUnderAsync(spec);
        output.WriteLine($"| {fault} | {outcome} | {clock.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine(evidence);

        Assert.True(outcome is Outcome.Complete or Outcome.FailedCleanly, $"{fault}: {outcome}\n{evidence}");
    }

    public static IEnumerable<TheoryDataRow<string, string>> SecureFaults() =>
    [
        new("SASL_PLAINTEXT SCRAM-SHA-512", ""),
        new("SASL_PLAINTEXT SCRAM-SHA-512", "seed=1;error=0.5:NOT_COORDINATOR@OffsetFetch"),
        new("SASL_PLAINTEXT SCRAM-SHA-512", "seed=1;error=0.3:REQUEST_TIMED_OUT"),
        new("SASL_PLAINTEXT SCRAM-SHA-512", "move-coordinators=20"),
        new("SASL_SSL PLAIN", "seed=1;error=0.5:NOT_COORDINATOR@OffsetFetch"),
        new("SSL", "seed=1;error=0.5:COORDINATOR_LOAD_IN_PROGRESS@OffsetFetch"),
    ];

    /// <summary>The backup over TLS and SASL: kmap's own retrying requests now serve every security protocol.</summary>
    [Theory]
    [MemberData(nameof(SecureFaults))]
    public async Task Backup_over_tls_or_sasl_under_a_fault_completes_with_the_clusters_offsets(string security, string spec)
    {
        using var certificates = TestCertificates.Create();
        const string user = "backup-operator";
        const string password = "Matrix-S3cret!";
        var protocol = security.Split(' ')[0];
        var mechanism = security.Split(' ').ElementAtOrDefault(1);
        var options = new SandboxOptions
        {
            BrokerCount = 3,
            SaslMechanisms = mechanism is null ? [] : [mechanism],
            Users = new Dictionary<string, string> { [user] = password },
            TlsCertificateFile = protocol.Contains("SSL", StringComparison.Ordinal) ? certificates.BrokerCertificateFile : null,
            TlsKeyFile = protocol.Contains("SSL", StringComparison.Ordinal) ? certificates.BrokerKeyFile : null,
        };
        List<string> auth = ["-security-protocol", protocol];
        if (mechanism is not null)
        {
            auth.AddRange(["-sasl-mechanism", mechanism, "-sasl-username", user, "-sasl-password", password]);
        }
        if (protocol.Contains("SSL", StringComparison.Ordinal))
        {
            auth.AddRange(["-tls-ca", certificates.CaFile]);
        }
        var clock = Stopwatch.StartNew();

        var (outcome, evidence) = await BackupUnderAsync(spec, options, [.. auth]);

        output.WriteLine($"| {security} | {(spec.Length == 0 ? "none" : spec)} | {outcome} | {clock.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine(evidence);
        Assert.True(outcome is Outcome.Complete, $"{security} {spec}: {outcome}\n{evidence}");
        Assert.DoesNotContain(password, evidence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backup_that_cannot_read_every_group_leaves_existing_files_untouched_and_names_group_and_broker()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: ct);
        SeedGroups(sandbox, 3);
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("offsets.json"), "yesterday's backup", ct);
        await File.WriteAllTextAsync(dir.File("restore.sh"), "yesterday's script", ct);

        var clock = Stopwatch.StartNew();
        var (exit, stderr, hung) = await UnderFaultAsync(sandbox, "stall=forever@OffsetFetch", () => RunKmapAsync(dir.Path, TimeSpan.FromSeconds(60), "-brokers", sandbox.BootstrapServers, "-timeout", "2",
            "-save-offsets", "offsets.json", "-restore-offsets-script", "restore.sh"));

        Assert.False(hung, stderr);
        Assert.Equal(1, exit);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Equal("yesterday's backup", await File.ReadAllTextAsync(dir.File("offsets.json"), ct));
        Assert.Equal("yesterday's script", await File.ReadAllTextAsync(dir.File("restore.sh"), ct));
        Assert.Equal(["offsets.json", "restore.sh"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("cannot back up 3 of 3 consumer group(s)", stderr, StringComparison.Ordinal);
        Assert.Contains("group 'group-01'", stderr, StringComparison.Ordinal);
        Assert.Contains(" (id ", stderr, StringComparison.Ordinal);
        Assert.Contains(sandbox.State.Brokers, b => stderr.Contains($"{b.Host}:{b.Port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_allow_partial_a_backup_that_misses_groups_writes_what_it_read_and_exits_3()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: ct);
        SeedGroups(sandbox, 3);
        using var dir = new TempDirectory();

        var (exit, stderr, hung) = await UnderFaultAsync(sandbox, "stall=forever@OffsetFetch", () => RunKmapAsync(dir.Path, TimeSpan.FromSeconds(60), "-brokers", sandbox.BootstrapServers, "-timeout", "2",
            "-allow-partial", "-save-offsets", "offsets.json"));

        Assert.False(hung, stderr);
        Assert.Equal(3, exit);
        Assert.Contains("group 'group-02' not backed up", stderr, StringComparison.Ordinal);
        var backup = OffsetBackupJson.Deserialize(await File.ReadAllTextAsync(dir.File("offsets.json"), ct));
        Assert.Empty(backup.ConsumerGroups);
    }

    /// <summary>
    /// Creates "orders" and commits offsets (g * 1000) + p + <paramref name="shift"/> for groups group-00, group-01, …;
    /// returns each group's "orders-P OFFSET" lines.
    /// </summary>
    private static Dictionary<string, SortedSet<string>> SeedGroups(SandboxCluster sandbox, int groups, int shift = 0)
    {
        var seeded = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("orders", Partitions, 1);
            for (var g = 0; g < groups; g++)
            {
                var commits = Enumerable.Range(0, Partitions).Select(p => new PartitionCommit("orders", p, (g * 1000) + p + shift, -1, "", 0)).ToList();
                sandbox.State.Groups.RestoreOffsets($"group-{g:D2}", "consumer", commits);
                seeded[$"group-{g:D2}"] = new SortedSet<string>(commits.Select(c => $"{c.Topic}-{c.Partition} {c.Offset}"), StringComparer.Ordinal);
            }
        }
        return seeded;
    }

    /// <summary>
    /// A source with <see cref="RestoreGroups"/> groups (offsets from 1) and a target with "orders" readable up to offset
    /// 10,000; kmap backs up the source into <paramref name="dir"/> with <paramref name="backupOutput"/>.
    /// </summary>
    private static async Task<(SandboxCluster Source, SandboxCluster Target, Dictionary<string, SortedSet<string>> Expected)> SourceAndTargetAsync(
        TempDirectory dir, params string[] backupOutput)
    {
        var ct = TestContext.Current.CancellationToken;
        var source = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: ct);
        SandboxCluster? target = null;
        try
        {
            target = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 3 }, cancellationToken: ct);
            var expected = SeedGroups(source, RestoreGroups, shift: 1);
            lock (target.State.Sync)
            {
                var topic = target.State.CreateTopic("orders", Partitions, 1);
                foreach (var partition in topic.Partitions)
                {
                    // Offsets up to 3,003 must be inside the log for a reset to accept them.
                    partition.HighWatermark = 10_000;
                }
            }
            var (backupExit, backupErr, _) = await RunKmapAsync(dir.Path, TimeSpan.FromSeconds(60), ["-brokers", source.BootstrapServers, .. backupOutput]);
            Assert.True(backupExit == 0, backupErr);
            return (source, target, expected);
        }
        catch
        {
            await source.DisposeAsync();
            if (target is not null)
            {
                await target.DisposeAsync();
            }
            throw;
        }
    }

    public enum RestoreOutcome
    {
        /// <summary>Exit 0 and every backed-up offset is on the target.</summary>
        Complete,

        /// <summary>Non-zero exit naming the failed groups; every other group is right, and a run without the fault finishes the rest.</summary>
        ReportedAndResumable,

        /// <summary>Exit 0 but some offset is missing or wrong, or a group not reported failed is wrong.</summary>
        SilentlyWrong,

        /// <summary>Reported failures, but a second run without the fault still does not finish.</summary>
        NotResumable,

        /// <summary>Still running after the deadline.</summary>
        Hung,
    }

    private const int RestoreGroups = 4;

    public static IEnumerable<TheoryDataRow<string, string>> RestoreFaults() =>
    [
        new("none", ""),
        new("error=0.5:NOT_COORDINATOR@OffsetCommit", "seed=2;error=0.5:NOT_COORDINATOR@OffsetCommit"),
        new("error=0.5:COORDINATOR_LOAD_IN_PROGRESS@OffsetCommit", "seed=2;error=0.5:COORDINATOR_LOAD_IN_PROGRESS@OffsetCommit"),
        new("error=0.5:NOT_COORDINATOR (every group API)", "seed=2;error=0.5:NOT_COORDINATOR"),
        new("drop-after=4 (every connection)", "drop-after=4"),
        new("stall=2000@OffsetCommit", "stall=2000@OffsetCommit"),
        new("move-coordinators=20", "move-coordinators=20"),
        new("down=1 (broker 1 stopped throughout)", "down=1:0"),
    ];

    /// <summary>Backs up a faultless cluster, then runs the generated script against a second cluster that has the fault.</summary>
    private async Task<(RestoreOutcome Outcome, string Evidence)> RestoreUnderAsync(string spec)
    {
        using var dir = new TempDirectory();
        var (source, target, expected) = await SourceAndTargetAsync(dir, "-restore-offsets-script", "restore.sh");
        await using var sourceCluster = source;
        await using var targetCluster = target;
        var environment = new Dictionary<string, string?> { ["BOOTSTRAP_SERVERS"] = target.BootstrapServers, ["KAFKA_CONSUMER_GROUPS"] = null };
        var run = await UnderFaultAsync(target, spec,
            () => ProcessRunner.RunAsync("bash", ["./restore.sh"], environment: environment, workingDirectory: dir.Path, killAfter: TimeSpan.FromSeconds(200)),
            restartBrokers: true);
        var evidence = $"exit {run.ExitCode}, injected errors {target.Faults.Counters.TotalErrors}, drops {target.Faults.Counters.Drops}\n--- stdout\n{run.Stdout}\n--- stderr\n{run.Stderr}";
        if (run.Hung)
        {
            return (RestoreOutcome.Hung, evidence);
        }
        var wrong = expected.Where(e => !CommittedOn(target, e.Key).SetEquals(e.Value)).Select(e => e.Key).ToList();
        if (run.ExitCode == 0)
        {
            return (wrong.Count == 0 ? RestoreOutcome.Complete : RestoreOutcome.SilentlyWrong, evidence + $"\nwrong: {string.Join(", ", wrong)}");
        }
        var reported = run.Stdout.Split('\n').SkipWhile(l => l != "Failed groups:").Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (wrong.Any(g => !reported.Contains(g)))
        {
            return (RestoreOutcome.SilentlyWrong, evidence + $"\nwrong but not reported: {string.Join(", ", wrong.Where(g => !reported.Contains(g)))}");
        }
        var again = await ProcessRunner.RunAsync("bash", ["./restore.sh"], environment: environment, workingDirectory: dir.Path, killAfter: TimeSpan.FromSeconds(100));
        var stillWrong = expected.Where(e => !CommittedOn(target, e.Key).SetEquals(e.Value)).Select(e => e.Key).ToList();
        return (again.ExitCode == 0 && stillWrong.Count == 0 ? RestoreOutcome.ReportedAndResumable : RestoreOutcome.NotResumable,
            evidence + $"\nreported failed: {string.Join(", ", reported)}; rerun without the fault: exit {again.ExitCode}, still wrong: {string.Join(", ", stillWrong)}");
    }

    private static SortedSet<string> CommittedOn(SandboxCluster cluster, string group)
    {
        lock (cluster.State.Sync)
        {
            var found = cluster.State.Groups.Find(group);
            return new SortedSet<string>(
                found is null ? [] : found.Offsets.SelectMany(t => t.Value.Select(p => $"{t.Key}-{p.Key} {p.Value.Offset}")),
                StringComparer.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(RestoreFaults))]
    public async Task Restore_under_a_fault_completes_or_names_the_failed_groups_and_a_rerun_finishes_them(string fault, string spec)
    {
        var clock = Stopwatch.StartNew();
        var (outcome, evidence) = await RestoreUnderAsync(spec);
        output.WriteLine($"| restore | {fault} | {outcome} | {clock.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine(evidence);

        Assert.True(outcome is RestoreOutcome.Complete or RestoreOutcome.ReportedAndResumable, $"{fault}: {outcome}\n{evidence}");
    }

    // `kmap restore --execute` (one process, the retrying executor) under a fault on the target. The promise: exit 0
    // with every group read back and verified, or a non-zero exit naming each failed group and a broker, with the
    // rollback file intact and every group either fully restored or untouched (never half-written).

    public enum ExecuteOutcome
    {
        /// <summary>Exit 0, every group verified by read-back, and the target holds exactly the backup.</summary>
        Complete,

        /// <summary>Non-zero exit naming each group that is not restored and a broker; rollback file intact; no group half-written.</summary>
        FailedCleanly,

        /// <summary>Non-zero exit naming a broker before anything was written: every group untouched, no rollback file needed.</summary>
        FailedBeforeWriting,

        /// <summary>Exit 0 with a group not restored, a group half-written, a failed group not named, or no broker named.</summary>
        Broken,

        /// <summary>Still running after the deadline.</summary>
        Hung,
    }

    public static IEnumerable<TheoryDataRow<string, string>> ExecuteFaults() =>
    [
        new("none", ""),
        new("error=0.5:NOT_COORDINATOR@OffsetCommit", "seed=2;error=0.5:NOT_COORDINATOR@OffsetCommit"),
        new("error=0.5:COORDINATOR_LOAD_IN_PROGRESS@OffsetCommit", "seed=2;error=0.5:COORDINATOR_LOAD_IN_PROGRESS@OffsetCommit"),
        new("error=0.5:REQUEST_TIMED_OUT@OffsetCommit", "seed=2;error=0.5:REQUEST_TIMED_OUT@OffsetCommit"),
        new("error=0.3:NOT_COORDINATOR (every group API)", "seed=2;error=0.3:NOT_COORDINATOR"),
        new("error=0.3:REQUEST_TIMED_OUT (every API that carries it)", "seed=2;error=0.3:REQUEST_TIMED_OUT"),
        new("drop-after=4 (every connection)", "drop-after=4"),
        new("drop-after=1@OffsetCommit", "drop-after=1@OffsetCommit"),
        new("move-coordinators=20", "move-coordinators=20"),
        new("stall=2000@OffsetCommit", "stall=2000@OffsetCommit"),
        new("error=1:NOT_COORDINATOR@OffsetCommit (never succeeds)", "error=1:NOT_COORDINATOR@OffsetCommit"),
        new("down=1 (broker 1 stopped throughout)", "down=1:0"),
    ];

    /// <summary>
    /// Backs up a faultless cluster, gives the target earlier offsets for half of the groups, then runs
    /// `kmap restore --execute --overwrite` against the target with the fault.
    /// </summary>
    private async Task<(ExecuteOutcome Outcome, string Evidence)> ExecuteUnderAsync(string spec)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory();
        var (source, target, expected) = await SourceAndTargetAsync(dir, "-save-offsets", "offsets.json");
        await using var sourceCluster = source;
        await using var targetCluster = target;
        var before = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        lock (target.State.Sync)
        {
            for (var g = 0; g < RestoreGroups; g++)
            {
                var earlier = g % 2 == 0
                    ? Enumerable.Range(0, Partitions).Select(p => new PartitionCommit("orders", p, 7 + p, -1, "", 0)).ToList()
                    : [];
                if (earlier.Count > 0)
                {
                    target.State.Groups.RestoreOffsets($"group-{g:D2}", "consumer", earlier);
                }
                before[$"group-{g:D2}"] = new SortedSet<string>(earlier.Select(c => $"{c.Topic}-{c.Partition} {c.Offset}"), StringComparer.Ordinal);
            }
        }
        var (exit, stderr, hung) = await UnderFaultAsync(target, spec, () => RunKmapAsync(dir.Path, TimeSpan.FromSeconds(150), "restore", "--brokers", target.BootstrapServers,
            "--from", "offsets.json", "--overwrite", "--rollback-file", "rollback.json", "--execute"));
        var files = Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var evidence = $"exit {exit}, files [{string.Join(", ", files)}], injected errors {target.Faults.Counters.TotalErrors}, drops {target.Faults.Counters.Drops}\n--- stderr\n{stderr}";
        if (hung)
        {
            return (ExecuteOutcome.Hung, evidence);
        }
        var restored = expected.Keys.Where(g => CommittedOn(target, g).SetEquals(expected[g])).ToList();
        var untouched = expected.Keys.Where(g => !restored.Contains(g) && CommittedOn(target, g).SetEquals(before[g])).ToList();
        var halfWritten = expected.Keys.Except(restored).Except(untouched).ToList();
        var broken = new List<string>();
        if (halfWritten.Count > 0)
        {
            broken.Add($"half-written: {string.Join(", ", halfWritten)}");
        }
        if (files.Any(f => f is not ("offsets.json" or "rollback.json")))
        {
            broken.Add("unexpected files (temp files left behind?)");
        }
        var nothingWritten = exit != 0 && untouched.Count == expected.Count;
        if (!files.Contains("rollback.json"))
        {
            if (!nothingWritten)
            {
                broken.Add("no rollback file");
            }
        }
        else
        {
            // The rollback file holds the target's offsets from before the restore: exactly the groups that had some.
            var rollback = OffsetBackupJson.Deserialize(await File.ReadAllTextAsync(dir.File("rollback.json"), ct));
            foreach (var (group, offsets) in before.Where(b => b.Value.Count > 0))
            {
                var saved = rollback.ConsumerGroups.SingleOrDefault(g => g.Group == group)?.Offsets.Select(o => $"{o.Topic}-{o.Partition} {o.Offset}") ?? [];
                if (!offsets.SetEquals(saved))
                {
                    broken.Add($"rollback file lacks the previous offsets of {group}");
                }
            }
        }
        if (exit == 0)
        {
            if (restored.Count != expected.Count)
            {
                broken.Add($"exit 0 but not restored: {string.Join(", ", expected.Keys.Except(restored))}");
            }
            if (restored.Any(g => !stderr.Contains($"kmap: {g}: restored {Partitions} partition(s)", StringComparison.Ordinal)))
            {
                broken.Add("a group was not reported as read back and verified");
            }
            return (broken.Count == 0 ? ExecuteOutcome.Complete : ExecuteOutcome.Broken, evidence + $"\n{string.Join("; ", broken)}");
        }
        bool NamesBroker(string text) => target.State.Brokers.Any(b => text.Contains($"{b.Host}:{b.Port}", StringComparison.Ordinal));
        if (nothingWritten && !files.Contains("rollback.json"))
        {
            // Failed while planning (before the rollback file and any write): the message names the broker(s).
            if (!NamesBroker(stderr))
            {
                broken.Add("no broker named");
            }
            return (broken.Count == 0 ? ExecuteOutcome.FailedBeforeWriting : ExecuteOutcome.Broken, evidence + $"\n{string.Join("; ", broken)}");
        }
        // Each group not restored has its own error line naming it and a broker.
        var errorLines = stderr.Split('\n').Where(l => l.StartsWith("kmap: error: ", StringComparison.Ordinal)).ToList();
        var notNamed = expected.Keys.Except(restored).Where(g => !errorLines.Any(l => l.Contains(g, StringComparison.Ordinal) && NamesBroker(l))).ToList();
        if (notNamed.Count > 0)
        {
            broken.Add($"failed without an error line naming the group and a broker: {string.Join(", ", notNamed)}");
        }
        return (broken.Count == 0 ? ExecuteOutcome.FailedCleanly : ExecuteOutcome.Broken, evidence + $"\nrestored: {string.Join(", ", restored)}; untouched: {string.Join(", ", untouched)}\n{string.Join("; ", broken)}");
    }

    [Theory]
    [MemberData(nameof(ExecuteFaults))]
    public async Task Restore_execute_under_a_fault_verifies_every_group_or_fails_naming_group_and_broker_with_the_rollback_file_intact(string fault, string spec)
    {
        var clock = Stopwatch.StartNew();
        var (outcome, evidence) = await ExecuteUnderAsync(spec);
        output.WriteLine($"| restore --execute | {fault} | {outcome} | {clock.Elapsed.TotalSeconds:F1} s |");
        output.WriteLine(evidence);

        Assert.True(outcome is ExecuteOutcome.Complete or ExecuteOutcome.FailedCleanly or ExecuteOutcome.FailedBeforeWriting, $"{fault}: {outcome}\n{evidence}");
    }
}
