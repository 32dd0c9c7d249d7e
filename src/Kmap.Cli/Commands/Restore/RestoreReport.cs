using Kmap.Core.Restore;

namespace Kmap.Cli.Commands.Restore;

/// <summary>What `kmap restore --execute` says on stderr: a line per group as it finishes, then a summary.</summary>
internal static class RestoreReport
{
    private const int NamesShown = 100;

    /// <summary>One group's outcome, without the "kmap: " prefix.</summary>
    public static string Describe(GroupApplyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.WasNoOp)
        {
            return $"{result.Group}: already at the planned offsets, not written (unchanged)";
        }
        if (result.Refused)
        {
            // An error line of its own, naming the group and (in the refusal) the coordinator: scripts grep for these.
            return $"error: {result.Group}: refused, not restored: {result.Error}";
        }
        if (result.Interrupted)
        {
            return $"{result.Group}: {result.Error ?? "interrupted before retrying: not written"}";
        }
        if (result.Succeeded)
        {
            var retried = result.Attempts > 1 ? $" after {result.Attempts} attempts" : "";
            var verified = result.ReadBackPending ? "read back once every group is written" : "read back and verified";
            return $"{result.Group}: restored {result.Partitions.Count} partition(s){retried}, {verified}";
        }
        var details = result.Error ?? result.VerifyError ?? string.Join("; ", result.Partitions.Where(p => !p.Succeeded).Select(p => $"{p.TopicPartition}: {p.Error}"));
        return $"error: {result.Group}: {details}";
    }

    /// <summary>
    /// The summary after a complete run: what was written and read back, what was already there, and every group not
    /// restored (refused by the plan, failed to write, or read back different), by name. Returns how many were not restored.
    /// </summary>
    public static async Task<int> WriteSummaryAsync(TextWriter error, IReadOnlyList<GroupApplyResult> results)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(results);
        var written = results.Where(r => r.Succeeded && !r.WasNoOp).ToList();
        var verified = written.Count(r => r.Verified);
        var unchanged = results.Count(r => r.WasNoOp);
        var refused = results.Where(r => r.Refused).Select(r => r.Group).ToList();
        var readBackFailed = results.Where(r => !r.Refused && !r.WasNoOp && r.Error is null && r.Partitions.All(p => p.Succeeded) && r.VerifyError is not null)
            .Select(r => r.Group).ToList();
        var failed = results.Where(r => !r.Refused && !r.Succeeded && !r.WasNoOp).Select(r => r.Group).Except(readBackFailed, StringComparer.Ordinal).ToList();
        var parts = new List<string>
        {
            written.Count == 0 ? "0 group(s) restored"
            : verified == written.Count ? $"{written.Count} group(s) restored, read back and verified"
            : $"{written.Count} group(s) restored ({verified} read back and verified)",
        };
        if (unchanged > 0)
        {
            parts.Add($"{unchanged} already had these offsets (unchanged)");
        }
        if (readBackFailed.Count > 0)
        {
            parts.Add($"{readBackFailed.Count} written but read back different (see above): {Names(readBackFailed)}");
        }
        if (failed.Count > 0)
        {
            parts.Add($"{failed.Count} failed, not restored (see above): {Names(failed)}");
        }
        if (refused.Count > 0)
        {
            parts.Add($"{refused.Count} refused, not restored (see above): {Names(refused)}");
        }
        await error.WriteLineAsync($"kmap: done: {string.Join("; ", parts)}");
        return refused.Count + failed.Count + readBackFailed.Count;
    }

    /// <summary>After Ctrl-C: which groups were written, which were not, and how to finish.</summary>
    public static async Task WriteInterruptedAsync(TextWriter error, IReadOnlyList<GroupApplyResult> results)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(results);
        var written = results.Where(r => r.Succeeded && !r.WasNoOp).Select(r => r.Group).ToList();
        var unchanged = results.Count(r => r.WasNoOp);
        var notWritten = results.Where(r => r.Interrupted).Select(r => r.Group).ToList();
        var failed = results.Where(r => !r.Succeeded && !r.WasNoOp && !r.Interrupted).Select(r => r.Group).ToList();
        await error.WriteLineAsync($"kmap: interrupted: {written.Count} group(s) written, {notWritten.Count} not written"
            + (unchanged > 0 ? $", {unchanged} already had these offsets" : "")
            + (failed.Count > 0 ? $", {failed.Count} refused or failed" : "")
            + "; no group was half-written (one commit per group)");
        await error.WriteLineAsync($"kmap: written: {Names(written)}");
        await error.WriteLineAsync($"kmap: not written: {Names(notWritten)}");
        if (failed.Count > 0)
        {
            await error.WriteLineAsync($"kmap: refused or failed: {Names(failed)}");
        }
        await error.WriteLineAsync("kmap: run the same command again to write the rest: the groups written now already have their offsets and are left unchanged");
    }

    private static string Names(IReadOnlyList<string> groups) =>
        groups.Count == 0 ? "(none)"
        : groups.Count <= NamesShown ? string.Join(", ", groups)
        : string.Join(", ", groups.Take(NamesShown)) + $", … and {groups.Count - NamesShown} more";
}
