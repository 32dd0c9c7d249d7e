using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Model;
using Kmap.Core.Restore;

namespace Kmap.Core.Sync;

/// <summary>
/// One round of `kmap sync`: the source's committed offsets read as `kmap backup` reads them (batched, with record
/// times), planned onto the target by restore's planner (active groups refused, clamped to the target's log, forward
/// only unless --allow-rewind, nothing written where the position cannot be translated) and written by restore's
/// executor. The rules are restore's; what sync adds is memory across rounds: groups that became active on the target
/// (or that another client moved there) are handed over and never written again, and each reason is said once.
/// </summary>
public sealed class OffsetSyncRound(SyncState state, SyncNotices notices, TimeProvider time)
{
    /// <summary>Runs one round; ClusterException when a cluster cannot be read (the round then wrote nothing).</summary>
    /// <param name="persist">Saves the state (--state-file) before the writes are sent and after they are confirmed.</param>
    public async Task<SyncRoundResult> RunAsync(SyncClients clients, SyncOptions options, Action persist, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(persist);
        var read = await new OffsetBackupService(clients.Source, time).BackupAsync(new BackupOptions(options.SourceName)
        {
            Filter = options.Filter,
            MaxConcurrency = options.Concurrency,
            AllowPartial = true,
        }, cancellationToken);
        foreach (var (group, error) in read.FailedGroups)
        {
            notices.Say($"read:{group}", error, $"cannot read the committed offsets of group '{group}' on the source: {error}; kmap tries again each round");
        }
        var seen = read.Backup.ConsumerGroups.Select(g => g.Group).Concat(read.FailedGroups.Select(f => f.Group)).ToHashSet(StringComparer.Ordinal);
        var wanted = read.Backup.ConsumerGroups.Where(g => !state.IsHandedOver(g.Group)).ToList();
        state.KeepOnly(seen);
        if (wanted.Count == 0)
        {
            notices.EndRound();
            return new SyncRoundResult { ReadFailures = read.FailedGroups.Count, HandedOverTotal = state.HandedOver.Count };
        }
        var backup = await BackupRecordTimes.AddAsync(read.Backup with { ConsumerGroups = wanted }, clients.SourceRecords, cancellationToken);
        var plan = await new OffsetRestorePlanner(clients.Target, clients.TargetRecords).PlanAsync(new RestoreRequest(backup)
        {
            Translate = options.Translate,
            SourceAlias = options.SourceAlias,
            // Restore's rules for a group that exists on the target: only forward (MM2's rule), or anywhere with --allow-rewind.
            NoRewind = !options.AllowRewind,
            Overwrite = options.AllowRewind,
            OutOfRange = OutOfRangePolicy.Clamp,
        }, cancellationToken);
        foreach (var note in plan.Notes)
        {
            // "translation: mm2 (12 checkpoint(s) read …)": said again when the choice changes, not when the count does.
            var what = note.Split('(')[0];
            notices.Say($"plan:{what}", what, note);
        }

        var skipped = new Dictionary<SkipReason, int>();
        void Skip(SkipReason reason, int count) => skipped[reason] = skipped.GetValueOrDefault(reason) + count;
        var handedOverNow = new List<string>();
        var toApply = new List<GroupResetPlan>();
        var unchanged = 0;
        var clamped = 0;
        var refused = 0;
        foreach (var group in plan.Groups)
        {
            if (HandOverReason(group) is { } reason)
            {
                state.HandOver(group.Group, reason, time.GetUtcNow());
                notices.SayAlways($"group '{group.Group}' {reason}: kmap stops writing it");
                handedOverNow.Add(group.Group);
                continue;
            }
            if (!group.CanApply)
            {
                notices.Say($"refused:{group.Group}", group.Error!, $"not written: {group.Error}");
                Skip(SkipReason.Refused, Math.Max(1, group.Offsets.Count));
                refused++;
                continue;
            }
            foreach (var row in group.Offsets)
            {
                var key = $"{group.Group}/{row.Topic}-{row.Partition}";
                if (row.IsClamped)
                {
                    clamped++;
                    notices.Say($"clamp:{key}", row.Note ?? "", $"group '{group.Group}' {row.Topic}-{row.Partition}: {row.Note}");
                }
                if (row.Write)
                {
                    if (row.Current == row.NewOffset)
                    {
                        unchanged++;
                    }
                    continue;
                }
                if (row.IsAmbiguous || row.Derivation == "mm2")
                {
                    // Said once for as long as it lasts, not every round.
                    Skip(SkipReason.Untranslatable, 1);
                    notices.Say($"untranslatable:{key}", row.Note ?? "", $"group '{group.Group}' {row.Topic}-{row.Partition} not written: {row.Note}");
                }
                else
                {
                    Skip(SkipReason.WouldRewind, 1);
                    // Once per group (not per partition): a source that moved back is one story, however many partitions it has.
                    notices.Say($"rewind:{group.Group}", "", $"group '{group.Group}' not written where the translated offset is behind the target's "
                        + $"(first: {row.Topic}-{row.Partition}: {row.NewOffset} < {row.Current}); kmap moves groups only forward (--allow-rewind to move them back)");
                }
            }
            toApply.Add(group);
            foreach (var row in group.Writes)
            {
                state.SetPending(group.Group, new TopicPartition(row.Topic, row.Partition), row.NewOffset);
            }
        }
        if (toApply.Any(g => !g.IsNoOp))
        {
            // Saved before the first write: a restart after a crash knows these positions as kmap's own.
            persist();
        }

        var results = await new ResetExecutor(clients.TargetWriter).ApplyAsync(new ResetPlan(toApply), new ApplyOptions { MaxConcurrency = options.Concurrency },
            clients.Target, cancellationToken);
        var written = 0;
        var groupsWritten = 0;
        var failed = 0;
        var interrupted = false;
        foreach (var (group, result) in toApply.Zip(results))
        {
            var rows = group.Writes;
            if (result.WasNoOp || (result.Succeeded && result.Error is null))
            {
                foreach (var row in rows)
                {
                    state.SetWritten(group.Group, new TopicPartition(row.Topic, row.Partition), row.NewOffset);
                }
                if (!result.WasNoOp)
                {
                    written += rows.Count(r => r.Current != r.NewOffset);
                    groupsWritten++;
                }
                notices.Clear($"write:{group.Group}");
                continue;
            }
            if (result.Interrupted)
            {
                interrupted = true;
                Skip(SkipReason.Interrupted, rows.Count);
                continue;
            }
            failed++;
            Skip(SkipReason.Failed, rows.Count);
            var error = result.Error ?? result.VerifyError ?? string.Join("; ", result.Partitions.Where(p => !p.Succeeded).Select(p => $"{p.TopicPartition}: {p.Error}"));
            notices.Say($"write:{group.Group}", error, $"group '{group.Group}' not written: {error}; kmap tries again next round");
        }
        persist();

        var lag = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            if (!interrupted)
            {
                lag = await TranslationLagAsync(backup, toApply, results, clients.TargetRecords, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped after the writes: the round is done, only its lag is not measured.
            interrupted = true;
        }
        catch (ClusterException e)
        {
            // The writes are done; the lag is an addition, measured again next round.
            notices.Say("lag", e.Message, $"cannot read the target's record times for the translation lag: {e.Message}");
        }
        notices.EndRound();
        return new SyncRoundResult
        {
            Groups = wanted.Count - handedOverNow.Count,
            PartitionsWritten = written,
            PartitionsUnchanged = unchanged,
            PartitionsClamped = clamped,
            Skipped = skipped,
            GroupsWritten = groupsWritten,
            GroupsRefused = refused,
            GroupsFailed = failed,
            HandedOverNow = handedOverNow,
            HandedOverTotal = state.HandedOver.Count,
            ReadFailures = read.FailedGroups.Count,
            TranslationLag = lag,
            Interrupted = interrupted,
        };
    }

    /// <summary>Why kmap stops writing a group: it has members on the target, or its target offsets are not the ones kmap wrote.</summary>
    private string? HandOverReason(GroupResetPlan group)
    {
        if (group.IsActive)
        {
            return $"became active on the target ({group.State}, {group.ActiveMembers} member(s))";
        }
        foreach (var row in group.Offsets)
        {
            if (row.Current is { } current && state.PositionOf(group.Group, new TopicPartition(row.Topic, row.Partition)) is { } mine
                && (mine.Written is not null || mine.Pending is not null) && !mine.IsOwn(current))
            {
                // A consumer ran on the target between two rounds and committed: its position is the target's now.
                return $"was moved on the target by another client ({row.Topic}-{row.Partition}: committed {current}, kmap last wrote {mine.Written ?? mine.Pending})";
            }
        }
        return null;
    }

    /// <summary>
    /// Per group, the largest distance in seconds between the record it reads next on the source and the record its target
    /// position points at (both read, one read per cluster for all partitions). Partitions where either side has no next
    /// record yet are left out, except both caught up (0).
    /// </summary>
    private static async Task<Dictionary<string, double>> TranslationLagAsync(OffsetBackup source, IReadOnlyList<GroupResetPlan> groups,
        IReadOnlyList<GroupApplyResult> results, IRecordReader targetRecords, CancellationToken cancellationToken)
    {
        var sourceGroups = source.ConsumerGroups.ToDictionary(g => g.Group, StringComparer.Ordinal);
        var positions = new List<GroupOffsets>();
        var pairs = new Dictionary<string, List<(BackedUpOffset Source, PlannedOffset Row)>>(StringComparer.Ordinal);
        foreach (var (group, result) in groups.Zip(results))
        {
            if (!sourceGroups.TryGetValue(group.Group, out var sourceGroup) || sourceGroup.Offsets.Count != group.Offsets.Count)
            {
                continue;
            }
            // The planner makes one row per backed-up partition, in partition order.
            var zipped = sourceGroup.Offsets.OrderBy(o => o.TopicPartition).Zip(group.Offsets).ToList();
            var confirmed = result.WasNoOp || result.Succeeded;
            pairs[group.Group] = zipped;
            positions.Add(new GroupOffsets(group.Group, zipped
                .Select(z => new BackedUpOffset(z.Second.Topic, z.Second.Partition, (confirmed ? z.Second.Outcome : z.Second.Current) ?? -1)
                {
                    LogStartOffset = z.Second.LogStart,
                    LogEndOffset = z.Second.LogEnd,
                }).ToList(), source.Timestamp));
        }
        if (positions.Count == 0)
        {
            return new Dictionary<string, double>(StringComparer.Ordinal);
        }
        var target = await BackupRecordTimes.AddAsync(source with { ConsumerGroups = positions }, targetRecords, cancellationToken);
        var lag = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var group in target.ConsumerGroups)
        {
            double? worst = null;
            foreach (var ((sourceOffset, _), targetOffset) in pairs[group.Group].Zip(group.Offsets))
            {
                double? seconds = (sourceOffset.NextRecordTimestamp, targetOffset.NextRecordTimestamp) switch
                {
                    ({ } s, { } t) => Math.Abs((s - t).TotalSeconds),
                    (null, null) when sourceOffset.IsCaughtUp && targetOffset.IsCaughtUp => 0,
                    _ => null,
                };
                if (seconds is { } value)
                {
                    worst = Math.Max(worst ?? 0, value);
                }
            }
            if (worst is { } w)
            {
                lag[group.Group] = w;
            }
        }
        return lag;
    }
}
