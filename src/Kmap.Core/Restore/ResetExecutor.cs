using Kmap.Core.Cluster;
using Kmap.Core.Model;

namespace Kmap.Core.Restore;

/// <summary>
/// Applies a reset plan: one admin offset commit per group that the plan allows. Kafka's OffsetCommit
/// carries one group, so throughput comes from having several groups' commits in flight at once.
/// Results come back in the plan's order whatever order the commits finish in.
/// </summary>
public sealed class ResetExecutor(IOffsetWriter writer)
{
    /// <summary>Group commits in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 32;

    public async Task<IReadOnlyList<GroupApplyResult>> ApplyAsync(ResetPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var results = new GroupApplyResult[plan.Groups.Count];
        await writer.PrepareCommitsAsync(GroupsToWrite(plan), cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, MaxConcurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Groups.Count), parallel, async (i, ct) =>
            results[i] = await ApplyGroupAsync(plan.Groups[i], ct));
        return results;
    }

    private async Task<GroupApplyResult> ApplyGroupAsync(GroupResetPlan group, CancellationToken cancellationToken)
    {
        if (!group.CanApply || group.Writes.Count == 0)
        {
            return new GroupApplyResult(group.Group, [], group.Error);
        }
        var offsets = group.Writes.Select(o => new CommittedOffset(o.Topic, o.Partition, o.NewOffset)).ToList();
        try
        {
            var partitions = await WriteAsync(group, offsets, cancellationToken);
            return new GroupApplyResult(group.Group, partitions, null);
        }
        catch (ClusterException e)
        {
            return new GroupApplyResult(group.Group, [], e.Message);
        }
    }

    /// <summary>
    /// Applies a restore plan: groups concurrently (bounded), each in ONE OffsetCommit so a group is never half
    /// written; a retriable failure (coordinator moved or loading, timeout) is retried after a pause, and each
    /// attempt looks the coordinator up again (the writer forgets a coordinator that moved). Then the
    /// written groups are read back through <paramref name="verifier"/>. Groups already at their planned
    /// offsets are not written at all.
    /// When <paramref name="cancellationToken"/> is cancelled (Ctrl-C), no further group is started and no retry is
    /// sent; a commit already sent is awaited, so every group ends up written or not, and the results say which
    /// (<see cref="GroupApplyResult.Interrupted"/>). It returns normally, with every group's result.
    /// </summary>
    public async Task<IReadOnlyList<GroupApplyResult>> ApplyAsync(ResetPlan plan, ApplyOptions options, IClusterReader? verifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var results = new GroupApplyResult[plan.Groups.Count];
        try
        {
            await writer.PrepareCommitsAsync(GroupsToWrite(plan), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Interrupted before any write: every group below sees the token and says it was not written.
        }
        // The loop itself is not cancelled: each group looks at the token before it starts, so all get a result.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxConcurrency) };
        // A verifier that reads many groups per round trip (multi-group OffsetFetch) reads the written groups back
        // together after the writes; otherwise each group is read back right after its own write.
        var batchVerifier = options.Verify && plan.Groups.Count > 1 ? verifier as IBatchOffsetReader : null;
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Groups.Count), parallel, async (i, _) =>
        {
            results[i] = await ApplyGroupAsync(plan.Groups[i], options, batchVerifier is null ? verifier : null, cancellationToken);
            if (batchVerifier is not null && results[i] is { Error: null, WasNoOp: false } written && written.Partitions.All(p => p.Succeeded))
            {
                results[i] = written with { ReadBackPending = true };
            }
            options.GroupDone?.Invoke(results[i]);
        });
        if (batchVerifier is not null)
        {
            // Not cancelled: the read-back of groups already written is quick and tells the truth about them.
            await VerifyTogetherAsync(plan, results, batchVerifier, verifier!, options.MaxConcurrency, CancellationToken.None);
            foreach (var failed in results.Where(r => r.VerifyError is not null))
            {
                options.GroupDone?.Invoke(failed);
            }
        }
        return results;
    }

    private static List<string> GroupsToWrite(ResetPlan plan) =>
        plan.Groups.Where(g => g.CanApply && g.Writes.Count > 0).Select(g => g.Group).ToList();

    /// <summary>Reads back every group that was written without error, in batches, and sets each result's VerifyError.</summary>
    private static async Task VerifyTogetherAsync(ResetPlan plan, GroupApplyResult[] results, IBatchOffsetReader batch, IClusterReader verifier,
        int concurrency, CancellationToken cancellationToken)
    {
        var written = Enumerable.Range(0, results.Length)
            .Where(i => results[i].ReadBackPending)
            .ToList();
        if (written.Count == 0)
        {
            return;
        }
        // Share groups have no committed offsets to fetch: they are read back one by one with their own request.
        var unanswered = written.Where(i => plan.Groups[i].IsShare).ToList();
        written = written.Where(i => !plan.Groups[i].IsShare).ToList();
        var answers = written.Count == 0 ? null : await batch.ListCommittedOffsetsAsync(written.Select(i => results[i].Group).ToList(), null, cancellationToken);
        foreach (var i in written)
        {
            var offsets = Writes(plan.Groups[i]);
            if (answers is null || !answers.TryGetValue(results[i].Group, out var answer))
            {
                unanswered.Add(i);
            }
            else
            {
                var verifyError = answer.Offsets is { } actual ? Compare(offsets, actual) : $"cannot read the offsets back: {answer.Error}";
                results[i] = results[i] with { ReadBackPending = false, VerifyError = verifyError, Verified = verifyError is null };
            }
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(unanswered, parallel, async (i, ct) =>
        {
            var verifyError = await VerifyAsync(plan.Groups[i], Writes(plan.Groups[i]), verifier, ct);
            results[i] = results[i] with { ReadBackPending = false, VerifyError = verifyError, Verified = verifyError is null };
        });
    }

    private static List<CommittedOffset> Writes(GroupResetPlan group) =>
        group.Writes.Select(o => new CommittedOffset(o.Topic, o.Partition, o.NewOffset)).ToList();

    private async Task<GroupApplyResult> ApplyGroupAsync(GroupResetPlan group, ApplyOptions options, IClusterReader? verifier, CancellationToken cancellationToken)
    {
        if (!group.CanApply)
        {
            return new GroupApplyResult(group.Group, [], group.Error) { Attempts = 0, Refused = true };
        }
        if (group.Writes.Count == 0 || group.IsNoOp)
        {
            return new GroupApplyResult(group.Group, [], null) { WasNoOp = true, Attempts = 0 };
        }
        if (cancellationToken.IsCancellationRequested)
        {
            return new GroupApplyResult(group.Group, [], "interrupted before its commit was sent: not written") { Attempts = 0, Interrupted = true };
        }
        var offsets = group.Writes.Select(o => new CommittedOffset(o.Topic, o.Partition, o.NewOffset)).ToList();
        var attempt = 0;
        while (true)
        {
            attempt++;
            IReadOnlyList<PartitionResult> partitions;
            try
            {
                // Not cancelled once sent: the group's one OffsetCommit is awaited, so it is known to be written or not.
                partitions = await WriteAsync(group, offsets, CancellationToken.None);
            }
            catch (ClusterException e) when (attempt <= options.Retries && (e.Retriable ?? IsRetriable(e.Message)))
            {
                if (!await PauseBeforeRetryAsync(options, attempt, cancellationToken))
                {
                    // A timeout may hide a commit the broker applied: say "not confirmed", a re-run finds out.
                    return new GroupApplyResult(group.Group, [], $"interrupted before retrying ({e.Message}): not confirmed written; running the restore again finishes it")
                    {
                        Attempts = attempt,
                        Interrupted = true,
                    };
                }
                continue;
            }
            catch (ClusterException e)
            {
                return new GroupApplyResult(group.Group, [], e.Message) { Attempts = attempt };
            }
            var failed = partitions.Where(p => !p.Succeeded).ToList();
            if (failed.Count > 0 && attempt <= options.Retries && failed.All(p => IsRetriable(p.Error!)))
            {
                if (!await PauseBeforeRetryAsync(options, attempt, cancellationToken))
                {
                    return new GroupApplyResult(group.Group, partitions, null) { Attempts = attempt, Interrupted = failed.Count == partitions.Count };
                }
                continue;
            }
            var result = new GroupApplyResult(group.Group, partitions, null) { Attempts = attempt };
            if (failed.Count == 0 && options.Verify && verifier is not null)
            {
                // The read-back is quick and tells the truth about a group just written: done even when interrupted.
                var verifyError = await VerifyAsync(group, offsets, verifier, CancellationToken.None);
                result = result with { VerifyError = verifyError, Verified = verifyError is null };
            }
            return result;
        }
    }

    /// <summary>
    /// One group's write with the request its type needs: a share group's start offsets with AlterShareGroupOffsets,
    /// every other type (classic, consumer, streams) with an admin OffsetCommit.
    /// </summary>
    private Task<IReadOnlyList<PartitionResult>> WriteAsync(GroupResetPlan group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
    {
        if (!group.IsShare)
        {
            return writer.AlterOffsetsAsync(group.Group, offsets, cancellationToken);
        }
        return writer is IShareGroupOffsets share
            ? share.AlterShareGroupOffsetsAsync(group.Group, offsets, cancellationToken)
            : throw new ClusterException($"cannot set the start offsets of share group '{group.Group}': this client cannot write share groups");
    }

    /// <summary>Waits before a retry; false when interrupted meanwhile (then no retry is sent).</summary>
    private static async Task<bool> PauseBeforeRetryAsync(ApplyOptions options, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.RetryDelay * attempt, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<string?> VerifyAsync(GroupResetPlan group, IReadOnlyList<CommittedOffset> written, IClusterReader verifier, CancellationToken cancellationToken)
    {
        IReadOnlyList<CommittedOffset> actual;
        try
        {
            actual = group.IsShare ? await ReadShareAsync(group.Group, verifier, cancellationToken) : await verifier.ListCommittedOffsetsAsync(group.Group, cancellationToken);
        }
        catch (ClusterException e)
        {
            return $"cannot read the offsets back: {e.Message}";
        }
        return Compare(written, actual);
    }

    /// <summary>A share group's start offsets, read back as its committed offsets would be.</summary>
    private static async Task<IReadOnlyList<CommittedOffset>> ReadShareAsync(string group, IClusterReader verifier, CancellationToken cancellationToken)
    {
        if (verifier is not IShareGroupOffsets share)
        {
            throw new ClusterException("this client cannot read share groups' start offsets");
        }
        var answers = await share.ListShareGroupOffsetsAsync([group], cancellationToken);
        var answer = answers.GetValueOrDefault(group);
        return answer?.Offsets ?? throw new ClusterException(answer?.Error ?? $"no answer for share group '{group}'");
    }

    private static string? Compare(IReadOnlyList<CommittedOffset> written, IReadOnlyList<CommittedOffset> actual)
    {
        var byPartition = actual.ToDictionary(a => a.TopicPartition, a => a.Offset);
        var wrong = written
            .Where(w => !byPartition.TryGetValue(w.TopicPartition, out var a) || a != w.Offset)
            .Select(w => $"{w.TopicPartition}: wrote {w.Offset}, read back {(byPartition.TryGetValue(w.TopicPartition, out var a) ? a : "nothing")}")
            .ToList();
        return wrong.Count == 0 ? null : "read-back differs: " + string.Join("; ", wrong);
    }

    /// <summary>Kafka's retriable group errors, as librdkafka names them, plus timeouts and transport errors.</summary>
    public static bool IsRetriable(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string[] retriable = ["coordinator", "rebalance in progress", "timed out", "timeout", "transport", "not available", "load in progress"];
        // Kafka's error names (REQUEST_TIMED_OUT) read like librdkafka's words once the underscores are spaces.
        var words = message.Replace('_', ' ');
        return retriable.Any(r => words.Contains(r, StringComparison.OrdinalIgnoreCase));
    }
}
