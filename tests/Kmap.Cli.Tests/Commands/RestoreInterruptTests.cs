using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Kmap.Cli.Tests.Support;
using Kmap.Core.Backup;
using Kmap.Core.Model;
using Kmap.Sandbox;

namespace Kmap.Cli.Tests.Commands;

/// <summary>
/// Ctrl-C during `kmap restore --execute`, on a real kmap process against a sandbox whose every answer is late (so
/// the restore is still writing when SIGINT arrives): it stops cleanly, says which groups were written, never leaves
/// a group half-written or a temp file, exits 130, and the same command run again finishes the rest.
/// </summary>
public partial class RestoreInterruptTests
{
    private const int Groups = 24;

    [GeneratedRegex(@"^kmap: g\d\d: restored 2 partition\(s\)", RegexOptions.Multiline)]
    private static partial Regex FirstGroupWritten();

    [Fact]
    public async Task Ctrl_C_stops_between_groups_reports_them_exits_130_and_a_rerun_finishes_the_rest()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { Latency = TimeSpan.FromMilliseconds(100) }, cancellationToken: TestContext.Current.CancellationToken);
        await KafkaPython.ProduceAsync(sandbox.BootstrapServers, "orders", 2, Groups + 1);
        using var dir = new TempDirectory();
        var file = dir.File("offsets.json");
        // Group gNN had committed offset NN on both partitions of orders.
        var groups = Enumerable.Range(0, Groups).Select(i => new GroupOffsets($"g{i:00}",
            [new BackedUpOffset("orders", 0, i), new BackedUpOffset("orders", 1, i)], DateTimeOffset.UtcNow)).ToList();
        await File.WriteAllTextAsync(file, OffsetBackupJson.Serialize(new OffsetBackup(DateTimeOffset.UtcNow, "source:9092", groups)), TestContext.Current.CancellationToken);
        string[] restore = ["restore", "--brokers", sandbox.BootstrapServers, "--from", file, "--translate", "offset", "--concurrency", "1", "--execute"];

        var (exit, stderr) = await RunAndInterruptAsync(restore);
        var written = Names(stderr, "written");
        var notWritten = Names(stderr, "not written");
        var leftovers = Directory.GetFiles(dir.Path).Select(Path.GetFileName).Where(f => f!.EndsWith(".tmp", StringComparison.Ordinal)).ToList();
        var committedAfterInterrupt = groups.ToDictionary(g => g.Group, g => Committed(sandbox, g.Group));
        var rerun = await KmapProcess.RunAsync(TimeSpan.FromSeconds(120), restore);
        var committedAfterRerun = groups.ToDictionary(g => g.Group, g => Committed(sandbox, g.Group));

        Assert.True(exit == ExitCodes.Interrupted, $"exit {exit}\n{stderr}");
        Assert.Contains("kmap: interrupted: starting no more groups", stderr, StringComparison.Ordinal);
        Assert.Contains($"kmap: interrupted: {written.Count} group(s) written, {notWritten.Count} not written; no group was half-written", stderr, StringComparison.Ordinal);
        Assert.NotEmpty(written);
        Assert.NotEmpty(notWritten);
        Assert.Equal(groups.Select(g => g.Group).Order(StringComparer.Ordinal), written.Concat(notWritten).Order(StringComparer.Ordinal));
        Assert.Empty(leftovers);
        foreach (var group in groups)
        {
            // Whole or nothing: both partitions at the backup's offset for a written group, none for the others.
            var expected = written.Contains(group.Group) ? group.Offsets.Select(o => (long?)o.Offset).ToArray() : [null, null];
            Assert.Equal(expected, committedAfterInterrupt[group.Group]);
        }
        Assert.True(rerun.ExitCode == 0, $"exit {rerun.ExitCode}\n{rerun.StandardError}");
        Assert.Contains($"kmap: done: {notWritten.Count} group(s) restored, read back and verified; {written.Count} already had these offsets (unchanged)", rerun.StandardError, StringComparison.Ordinal);
        Assert.Contains($"kmap: {written[0]}: already at the planned offsets, not written (unchanged)", rerun.StandardError, StringComparison.Ordinal);
        Assert.All(groups, g => Assert.Equal(g.Offsets.Select(o => (long?)o.Offset).ToArray(), committedAfterRerun[g.Group]));
        Assert.Equal(2, Directory.GetFiles(dir.Path, "offsets.rollback-*.json").Length);
    }

    /// <summary>Runs kmap, sends SIGINT once the first group is written, and returns its exit code and stderr.</summary>
    private static async Task<(int Exit, string Stderr)> RunAndInterruptAsync(string[] arguments)
    {
        // `env --default-signal=INT`: SIGINT as a terminal gives it, even when this test runs where it is ignored (a background job).
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in (string[])["--default-signal=INT", "dotnet", KmapProcess.Dll, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var lines = new ConcurrentQueue<string>();
        var firstWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
                if (FirstGroupWritten().IsMatch(line))
                {
                    firstWritten.TrySetResult();
                }
            }
        };
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await firstWritten.Task.WaitAsync(deadline.Token);
            KmapProcess.Signal(process, "INT");
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("kmap restore did not write a group, or did not stop after SIGINT:\n" + string.Join('\n', lines));
        }
        process.WaitForExit(); // drains the stderr events
        await stdout;
        return (process.ExitCode, string.Join('\n', lines));
    }

    /// <summary>The groups of the line "kmap: LABEL: a, b, c".</summary>
    private static List<string> Names(string stderr, string label)
    {
        var line = stderr.Split('\n').Single(l => l.StartsWith($"kmap: {label}: ", StringComparison.Ordinal));
        var names = line[$"kmap: {label}: ".Length..];
        return names == "(none)" ? [] : names.Split(", ").ToList();
    }

    /// <summary>The sandbox's own record (not a client's view) of the group's offsets on orders-0 and orders-1.</summary>
    private static long?[] Committed(SandboxCluster sandbox, string group)
    {
        var stored = sandbox.State.Groups.Find(group);
        return [stored?.Committed("orders", 0)?.Offset, stored?.Committed("orders", 1)?.Offset];
    }
}
