using System.Collections.Concurrent;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Model;
using Kmap.Core.Translation;

namespace Kmap.Core.Restore;

/// <summary>
/// `kmap restore`: turns a backup into a plan for a target cluster, reading only. Per group and partition it
/// translates the backed-up position (offset, record time, MM2 checkpoint or a fixed time), checks it against
/// the target's log range, and decides whether to write it (active groups refused; existing groups kept unless
/// --overwrite or moved forward only with --no-rewind). The plan is the same object the executor applies.
/// </summary>
public sealed class OffsetRestorePlanner(IClusterReader target, IRecordReader records)
{
    private const int LookupConcurrency = 8;

    public async Task<ResetPlan> PlanAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Translate == TranslateMode.Mm2 && string.IsNullOrEmpty(request.SourceAlias))
        {
            throw new ArgumentException("--translate mm2 needs --source-alias (the source cluster's name in MirrorMaker 2's configuration)");
        }
        var backup = request.Filter.Apply(request.Backup);
        var overwrite = request.Overwrite || backup.IsRollback;
        var notes = new List<string>();
        var targetId = await target.GetClusterIdAsync(cancellationToken);
        var topics = await target.ListTopicsAsync(cancellationToken);

        var checkpoints = request.Translate == TranslateMode.Mm2 ? await ReadCheckpointsAsync(request.SourceAlias!, notes, cancellationToken) : null;
        // Where each backed-up partition lives on the target: MM2 with its default policy renames topics to ALIAS.topic.
        TopicPartition TargetOf(string group, TopicPartition source)
        {
            if (checkpoints is null)
            {
                return source;
            }
            var renamed = new TopicPartition($"{request.SourceAlias}.{source.Topic}", source.Partition);
            return checkpoints.ContainsKey((group, renamed)) || (!topics.ContainsKey(source.Topic) && topics.ContainsKey(renamed.Topic)) ? renamed : source;
        }

        var targetPartitions = backup.ConsumerGroups.SelectMany(g => g.Offsets.Select(o => TargetOf(g.Group, o.TopicPartition))).ToHashSet();
        var missing = targetPartitions.Where(p => !topics.TryGetValue(p.Topic, out var n) || p.Partition >= n).ToHashSet();
        var toCreate = new Dictionary<string, int>(StringComparer.Ordinal);
        if (request.CreateMissingTopics)
        {
            // The source topic of each target topic (they differ when MM2 renamed it), to find its partition count.
            var sourceTopics = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in backup.ConsumerGroups)
            {
                foreach (var offset in group.Offsets)
                {
                    sourceTopics.TryAdd(TargetOf(group.Group, offset.TopicPartition).Topic, offset.Topic);
                }
            }
            foreach (var topic in missing.Where(p => !topics.ContainsKey(p.Topic)).GroupBy(p => p.Topic).OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var highest = topic.Max(p => p.Partition) + 1;
                if (backup.PartitionCounts.TryGetValue(sourceTopics[topic.Key], out var count))
                {
                    // The source's count; never fewer than the partitions groups committed on.
                    toCreate[topic.Key] = Math.Max(count, highest);
                    notes.Add($"topic '{topic.Key}' is missing on the target: it will be created with {toCreate[topic.Key]} partition(s), as on the source, before the offsets are written");
                }
                else
                {
                    toCreate[topic.Key] = highest;
                    notes.Add($"warning: the backup does not say how many partitions topic '{sourceTopics[topic.Key]}' had on the source (a file of the Go tool or an older kmap): "
                        + $"'{topic.Key}' will be created with {highest} partition(s), the highest partition a group committed on + 1, which may be fewer than the source had; "
                        + "create it yourself first to choose, or take a new backup with kmap backup");
                }
            }
            missing.RemoveWhere(p => toCreate.ContainsKey(p.Topic));
        }

        var existing = targetPartitions.Where(p => !missing.Contains(p) && !toCreate.ContainsKey(p.Topic)).ToList();
        var logs = existing.Count == 0 ? new Dictionary<TopicPartition, LogOffsets>() : new Dictionary<TopicPartition, LogOffsets>(await target.ListLogOffsetsAsync(existing, cancellationToken));
        foreach (var p in targetPartitions.Where(p => toCreate.ContainsKey(p.Topic)))
        {
            logs[p] = new LogOffsets(0, 0);
        }

        var groupNames = backup.ConsumerGroups.Select(g => g.Group).ToList();
        // In batches (multi-group OffsetFetch, states from one listing past a few dozen groups): a restore of
        // 20,000 groups must not cost round trips per group before it writes anything.
        var descriptions = await BatchGroupReads.DescribeAsync(target, groupNames, null, cancellationToken);
        // Share groups keep start offsets (DescribeShareGroupOffsets), every other type committed offsets (OffsetFetch).
        var shareNames = backup.ConsumerGroups.Where(g => g.IsShare).Select(g => g.Group).ToList();
        var committed = await BatchGroupReads.ReadCommittedAsync(target, groupNames.Except(shareNames, StringComparer.Ordinal).ToList(), LookupConcurrency, request.ReadProgress, cancellationToken);
        foreach (var (group, starts) in await BatchGroupReads.ReadShareStartOffsetsAsync(target, shareNames, cancellationToken))
        {
            committed[group] = starts;
        }

        var mode = request.ToTime is not null ? TranslateMode.Timestamp : request.Translate;
        if (mode == TranslateMode.Auto)
        {
            mode = await ChooseAsync(backup, targetId, logs, notes, cancellationToken);
        }
        else if (request.ToTime is { } at)
        {
            notes.Add($"positions: the first record at or after {Rfc3339.FormatMillis(at)} (--to-datetime/--by-duration), not the backup's");
        }
        else
        {
            notes.Add($"translation: {mode.ToString().ToLowerInvariant()} (as requested)");
        }

        var times = mode == TranslateMode.Timestamp ? await LookupTimesAsync(backup, request.ToTime, logs, cancellationToken) : [];
        // `auto` chose time: where every target record is newer (or older) than a backed-up position, the time does not say
        // which record is which (a replay that did not keep record times, a copy that lacks them): the operator decides.
        var bounds = request.Translate == TranslateMode.Auto && request.ToTime is null && mode == TranslateMode.Timestamp
            ? await ReadBoundsAsync(backup, logs, cancellationToken)
            : [];

        var plans = new List<GroupResetPlan>();
        foreach (var group in backup.ConsumerGroups)
        {
            descriptions.TryGetValue(group.Group, out var description);
            var state = description?.State;
            if (description?.Error is { } describeError)
            {
                plans.Add(new GroupResetPlan(group.Group, state, [])
                {
                    Error = $"cannot describe group '{group.Group}' on the target (coordinator {description.Coordinator ?? "unknown"}): {describeError}; nothing written for it, run the restore again",
                });
                continue;
            }
            if (group.IsShare && (description is null || string.Equals(state, GroupState.Dead, StringComparison.OrdinalIgnoreCase)))
            {
                // Kafka's AlterShareGroupOffsets answers GROUP_ID_NOT_FOUND for a share group it does not have: unlike an
                // OffsetCommit, it never creates the group.
                plans.Add(new GroupResetPlan(group.Group, state, [])
                {
                    Type = group.Type,
                    Error = $"share group '{group.Group}' does not exist on the target, and Kafka sets the start offsets of an existing share group only; "
                        + "start one of its share consumers once (that creates the group), stop it, then run the restore again",
                });
                continue;
            }
            if (TypeConflict(group, description) is { } conflict)
            {
                plans.Add(new GroupResetPlan(group.Group, state, []) { Error = conflict, Type = group.Type });
                continue;
            }
            int? activeMembers = GroupState.AcceptsReset(state) ? null : description!.Members.Count;
            var activeError = $"{TypeWord(group.Type)}group '{group.Group}' is active on the target ({state}, {activeMembers} member(s)); stop its consumers, wait until it is Empty, then run the restore again";
            if (activeMembers is not null && !request.IncludeActiveGroups)
            {
                plans.Add(new GroupResetPlan(group.Group, state, []) { Error = activeError, ActiveMembers = activeMembers, Type = group.Type });
                continue;
            }
            var gone = group.Offsets.Select(o => TargetOf(group.Group, o.TopicPartition)).Where(missing.Contains).ToList();
            if (gone.Count > 0)
            {
                plans.Add(new GroupResetPlan(group.Group, state, [])
                {
                    Error = $"partitions {string.Join(", ", gone)} of group '{group.Group}' do not exist on the target; create them (with as many partitions as on the source) or add --create-missing-topics",
                    ActiveMembers = activeMembers,
                });
                continue;
            }
            var planned = PlanGroup(request, mode, overwrite, group, state, committed.GetValueOrDefault(group.Group) ?? new Dictionary<TopicPartition, long>(),
                logs, times, bounds, checkpoints, TargetOf);
            // An active group's rows are only there to be compared (verify): the group stays refused.
            planned = planned with { Type = group.Type };
            plans.Add(activeMembers is null ? planned : planned with { Error = activeError, ActiveMembers = activeMembers });
        }
        var ambiguous = plans.SelectMany(p => p.Offsets).Count(o => o.IsAmbiguous);
        if (ambiguous > 0)
        {
            notes.Add($"warning: {ambiguous} partition(s) of {plans.Count(p => p.HasAmbiguous)} group(s) are AMBIGUOUS: every record of the target partition is newer "
                + "(or older) than the backed-up position, so its time does not say which record the group was at. Choose: --translate offset if the target's "
                + "records are copies at the same offsets, --translate timestamp if they are new data the group has not read (see NOTE); --execute refuses until then");
        }
        return new ResetPlan(plans) { TopicsToCreate = toCreate, Notes = notes };
    }

    /// <summary>"share group ", "streams group "… for the messages; nothing for classic groups (as before).</summary>
    private static string TypeWord(string? type) => GroupType.Parse(type) is { } t and not GroupType.Classic ? $"{t} " : "";

    /// <summary>
    /// A share group is written with its own request, every other type with OffsetCommit: a live group on the target
    /// of the other kind (a share group where the backup has a consumer group, or the reverse) cannot take the offsets.
    /// </summary>
    private static string? TypeConflict(GroupOffsets group, GroupDescription? target)
    {
        if (target?.Type is not { } targetType || string.Equals(target.State, GroupState.Dead, StringComparison.OrdinalIgnoreCase)
            || GroupType.IsShare(targetType) == group.IsShare)
        {
            return null;
        }
        return $"group '{group.Group}' is a {GroupType.OrClassic(group.Type)} group in the backup but a {targetType} group on the target; "
            + "its offsets cannot be written there: delete the target's group first (when it is Empty) or restore the others with --exclude-groups";
    }

    private static GroupResetPlan PlanGroup(RestoreRequest request, TranslateMode mode, bool overwrite, GroupOffsets group, string? state,
        IReadOnlyDictionary<TopicPartition, long> committed, IReadOnlyDictionary<TopicPartition, LogOffsets> logs,
        IReadOnlyDictionary<(TopicPartition, DateTimeOffset), long?> times, IReadOnlyDictionary<TopicPartition, (DateTimeOffset First, DateTimeOffset Last)> bounds,
        IReadOnlyDictionary<(string, TopicPartition), Mm2Checkpoint>? checkpoints, Func<string, TopicPartition, TopicPartition> targetOf)
    {
        var exists = committed.Count > 0;
        var warnings = new List<string>();
        var rows = new List<PlannedOffset>();
        string? error = null;
        foreach (var offset in group.Offsets.OrderBy(o => o.TopicPartition))
        {
            var tp = targetOf(group.Group, offset.TopicPartition);
            var log = logs[tp];
            long? current = committed.TryGetValue(tp, out var c) ? c : null;
            var (requested, derivation, note, write) = Translate(request, mode, group.Group, offset, tp, log, times, checkpoints);
            var newOffset = requested;
            if (bounds.TryGetValue(tp, out var bound) && AmbiguityOf(offset, bound) is { } why)
            {
                // Neither written nor clamped: both readings are shown, and the operator picks one with --translate.
                var ifOffset = Math.Clamp(offset.Offset, log.LogStartOffset, Math.Max(log.LogStartOffset, log.LogEndOffset));
                rows.Add(new PlannedOffset(tp.Topic, tp.Partition, requested)
                {
                    Requested = requested,
                    Current = current,
                    LogStart = log.LogStartOffset,
                    LogEnd = log.LogEndOffset,
                    BackupOffset = offset.Offset,
                    Derivation = derivation,
                    Note = $"AMBIGUOUS: {why}; --translate offset: {ifOffset} (the target's records are copies at the same offsets), "
                        + $"--translate timestamp: {requested} (they are new data the group has not read)",
                    Write = false,
                    Ambiguous = why,
                    IfOffset = ifOffset,
                    IfTimestamp = requested,
                });
                continue;
            }
            if (requested < log.LogStartOffset || requested > log.LogEndOffset)
            {
                var range = $"{requested} is outside the target's log [{log.LogStartOffset}, {log.LogEndOffset}]";
                switch (request.OutOfRange)
                {
                    case OutOfRangePolicy.Fail:
                        error ??= $"group '{group.Group}' {tp}: {range} (--out-of-range fail)";
                        break;
                    case OutOfRangePolicy.Earliest:
                        newOffset = log.LogStartOffset;
                        note = Join(note, $"{range}: earliest");
                        break;
                    case OutOfRangePolicy.Latest:
                        newOffset = log.LogEndOffset;
                        note = Join(note, $"{range}: latest");
                        break;
                    default:
                        newOffset = Math.Clamp(requested, log.LogStartOffset, Math.Max(log.LogStartOffset, log.LogEndOffset));
                        note = Join(note, $"clamped: {range}");
                        break;
                }
            }
            if (write && current == newOffset)
            {
                note = Join(note, "already there");
            }
            else if (write && exists && !overwrite)
            {
                if (!request.NoRewind)
                {
                    write = false;
                    note = Join(note, $"kept {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}: the group exists on the target");
                }
                else if (current is { } cur && newOffset < cur)
                {
                    write = false;
                    note = Join(note, $"kept {cur}: --no-rewind");
                }
            }
            rows.Add(new PlannedOffset(tp.Topic, tp.Partition, newOffset)
            {
                Requested = requested,
                Current = current,
                LogStart = log.LogStartOffset,
                LogEnd = log.LogEndOffset,
                BackupOffset = offset.Offset,
                Derivation = derivation,
                Note = note,
                Write = write,
            });
        }
        if (exists && !overwrite && !request.NoRewind && rows.Any(r => !r.Write && r.Current != r.NewOffset))
        {
            warnings.Add($"group '{group.Group}' already has offsets on the target: kept (add --overwrite to replace them, or --no-rewind to only move them forward)");
        }
        return new GroupResetPlan(group.Group, state, rows) { Error = error, Warnings = warnings, ExistsOnTarget = exists };
    }

    /// <summary>
    /// Why a position's record time says nothing on the target: every record there (first to last) is newer, or older,
    /// than the time of the record the group would read next (or, caught up, of the last one it read). Null: it says something.
    /// </summary>
    private static string? AmbiguityOf(BackedUpOffset offset, (DateTimeOffset First, DateTimeOffset Last) bound)
    {
        var (anchor, what) = offset.NextRecordTimestamp is { } next ? (next, "the group's next record")
            : offset.IsCaughtUp && offset.LastConsumedTimestamp is { } last ? (last, "the last record the group read (caught up)")
            : ((DateTimeOffset?)null, "");
        if (anchor is not { } at)
        {
            return null;
        }
        if (bound.First > at)
        {
            return $"every record on the target is newer than {what} ({Rfc3339.FormatMillis(at)}; the target's first is {Rfc3339.FormatMillis(bound.First)})";
        }
        if (bound.Last < at)
        {
            return $"every record on the target is older than {what} ({Rfc3339.FormatMillis(at)}; the target's last is {Rfc3339.FormatMillis(bound.Last)})";
        }
        return null;
    }

    /// <summary>The times of the first and the last record of each non-empty target partition a position is translated on by time.</summary>
    private async Task<Dictionary<TopicPartition, (DateTimeOffset First, DateTimeOffset Last)>> ReadBoundsAsync(OffsetBackup backup,
        IReadOnlyDictionary<TopicPartition, LogOffsets> logs, CancellationToken cancellationToken)
    {
        var partitions = backup.ConsumerGroups.SelectMany(g => g.Offsets)
            .Where(o => o.NextRecordTimestamp is not null || (o.IsCaughtUp && o.LastConsumedTimestamp is not null))
            .Select(o => o.TopicPartition)
            .Where(p => logs.TryGetValue(p, out var log) && log.LogEndOffset > log.LogStartOffset)
            .ToHashSet();
        if (partitions.Count == 0)
        {
            return [];
        }
        var firsts = await records.ReadRecordTimesAsync(partitions.ToDictionary(p => p, p => new OffsetRange(logs[p].LogStartOffset, logs[p].LogStartOffset + 1)), cancellationToken);
        var lasts = await records.ReadRecordTimesAsync(partitions.ToDictionary(p => p, p => new OffsetRange(logs[p].LogEndOffset - 1, logs[p].LogEndOffset)), cancellationToken);
        var result = new Dictionary<TopicPartition, (DateTimeOffset, DateTimeOffset)>();
        foreach (var p in partitions)
        {
            // A record that is gone (compacted, a transaction marker) leaves the partition undecided: time is used as before.
            if (firsts.GetValueOrDefault(p) is { Count: > 0 } first && lasts.GetValueOrDefault(p) is { Count: > 0 } last)
            {
                result[p] = (first.Min(r => r.Timestamp), last.Max(r => r.Timestamp));
            }
        }
        return result;
    }

    private static (long Offset, string Derivation, string? Note, bool Write) Translate(RestoreRequest request, TranslateMode mode, string group,
        BackedUpOffset offset, TopicPartition tp, LogOffsets log,
        IReadOnlyDictionary<(TopicPartition, DateTimeOffset), long?> times, IReadOnlyDictionary<(string, TopicPartition), Mm2Checkpoint>? checkpoints)
    {
        switch (mode)
        {
            case TranslateMode.Mm2:
                if (checkpoints!.TryGetValue((group, tp), out var checkpoint))
                {
                    var note = checkpoint.UpstreamOffset == offset.Offset
                        ? null
                        : $"checkpoint is for upstream offset {checkpoint.UpstreamOffset}, the backup has {offset.Offset}";
                    return (checkpoint.DownstreamOffset, $"mm2 {checkpoint.UpstreamOffset}->{checkpoint.DownstreamOffset}", note, true);
                }
                return (offset.Offset, "mm2", "no MM2 checkpoint for this group and partition: not written", false);
            case TranslateMode.Timestamp when request.ToTime is { } at:
                return (times.GetValueOrDefault((tp, at)) ?? log.LogEndOffset, $"time {Rfc3339.FormatMillis(at)}", null, true);
            case TranslateMode.Timestamp when offset.NextRecordTimestamp is { } next:
                return (times.GetValueOrDefault((tp, next)) ?? log.LogEndOffset, $"time {Rfc3339.FormatMillis(next)}", null, true);
            case TranslateMode.Timestamp when offset.IsCaughtUp && offset.LastConsumedTimestamp is { } last:
                // Caught up at the source: the first record after the last consumed one, or the log end.
                return (times.GetValueOrDefault((tp, last.AddMilliseconds(1))) ?? log.LogEndOffset, "caught up: after " + Rfc3339.FormatMillis(last), null, true);
            case TranslateMode.Timestamp when offset.IsCaughtUp:
                return (log.LogEndOffset, "caught up: log end", null, true);
            case TranslateMode.Timestamp:
                return (offset.Offset, "offset", "no record time in the backup: same offset number", true);
            default:
                return (offset.Offset, "offset", null, true);
        }
    }

    private static string Join(string? a, string b) => a is null ? b : $"{a}; {b}";

    /// <summary>
    /// `auto`: offsets carry over when the record times the backup saw are found at the same offsets on the
    /// target (checked on one position per partition), whatever the cluster id says: a topic recreated on the
    /// same cluster has new offsets too. Without record times, the cluster id decides.
    /// </summary>
    private async Task<TranslateMode> ChooseAsync(OffsetBackup backup, string? targetId, IReadOnlyDictionary<TopicPartition, LogOffsets> logs,
        List<string> notes, CancellationToken cancellationToken)
    {
        var sameCluster = backup.ClusterId is not null && backup.ClusterId == targetId;
        var where = sameCluster ? $"the target is the backed-up cluster, id {targetId}" : $"another cluster ({backup.ClusterId ?? "unknown id"} vs {targetId})";
        // One sample per partition: the record times the backup saw around a group's position.
        var samples = new Dictionary<TopicPartition, BackedUpOffset>();
        foreach (var o in backup.ConsumerGroups.SelectMany(g => g.Offsets))
        {
            if ((o.NextRecordTimestamp ?? o.LastConsumedTimestamp) is not null && logs.ContainsKey(o.TopicPartition))
            {
                samples.TryAdd(o.TopicPartition, o);
            }
        }
        var timedTopics = backup.ConsumerGroups.SelectMany(g => g.Offsets)
            .Where(o => o.NextRecordTimestamp is not null || o.LastConsumedTimestamp is not null)
            .Select(o => o.Topic).ToHashSet(StringComparer.Ordinal);
        if (samples.Count == 0 && timedTopics.Count > 0)
        {
            // The backup has record times, but none of their partitions is on the target: there is nothing to compare them with.
            var present = logs.Keys.Select(p => p.Topic).ToHashSet(StringComparer.Ordinal);
            var absent = timedTopics.Where(t => !present.Contains(t)).Order(StringComparer.Ordinal).ToList();
            notes.Add($"translation: offset (auto: {where}; the backup has record times, but their partitions do not exist on the target "
                + $"(missing: {string.Join(", ", absent.Take(10))}{(absent.Count > 10 ? $", … {absent.Count - 10} more" : "")}): create the topics first "
                + "(kmap restore --create-missing-topics, or kmap recreate-topics --from the source's cluster JSON), then plan again to translate by time)");
            return TranslateMode.Offset;
        }
        if (samples.Count == 0)
        {
            notes.Add(sameCluster
                ? $"translation: offset (auto: {where})"
                : $"translation: offset (auto: {where}, but the backup has no record times to translate by; take backups without --no-timestamps)");
            return TranslateMode.Offset;
        }
        var ranges = samples.ToDictionary(s => s.Key, s => new OffsetRange(Math.Max(0, s.Value.Offset - 1), s.Value.Offset + 1));
        var found = await records.ReadRecordTimesAsync(ranges, cancellationToken);
        var mismatched = samples.Count(s =>
        {
            var at = found.GetValueOrDefault(s.Key)?.ToDictionary(r => r.Offset, r => r.Timestamp) ?? [];
            var o = s.Value;
            return (o.NextRecordTimestamp is { } n && (!at.TryGetValue(o.Offset, out var tn) || tn != n))
                || (o.LastConsumedTimestamp is { } l && (!at.TryGetValue(o.Offset - 1, out var tl) || tl != l));
        });
        if (mismatched == 0)
        {
            notes.Add($"translation: offset (auto: {where}, and the record times at the backed-up offsets match on all {samples.Count} partition(s) checked)");
            return TranslateMode.Offset;
        }
        notes.Add($"translation: timestamp (auto: {where}, and the record times at the backed-up offsets differ on {mismatched} of {samples.Count} partition(s)"
            + (sameCluster ? ": topics recreated or records deleted since the backup)" : ")"));
        return TranslateMode.Timestamp;
    }

    private async Task<Dictionary<(TopicPartition, DateTimeOffset), long?>> LookupTimesAsync(OffsetBackup backup, DateTimeOffset? toTime,
        IReadOnlyDictionary<TopicPartition, LogOffsets> logs, CancellationToken cancellationToken)
    {
        var wanted = new HashSet<(TopicPartition, DateTimeOffset)>();
        foreach (var o in backup.ConsumerGroups.SelectMany(g => g.Offsets))
        {
            // Only partitions the target has (renamed topics are not translated by time).
            if (!logs.ContainsKey(o.TopicPartition))
            {
                continue;
            }
            DateTimeOffset? at = toTime ?? o.NextRecordTimestamp ?? (o.IsCaughtUp ? o.LastConsumedTimestamp?.AddMilliseconds(1) : null);
            if (at is { } t)
            {
                wanted.Add((o.TopicPartition, t));
            }
        }
        var result = new ConcurrentDictionary<(TopicPartition, DateTimeOffset), long?>();
        // ListOffsets takes one time for many partitions: one request per distinct time.
        var byTime = wanted.GroupBy(w => w.Item2).ToList();
        await Parallel.ForEachAsync(byTime, new ParallelOptions { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var found = await target.ListOffsetsForTimeAsync(batch.Select(b => b.Item1).ToList(), batch.Key, ct);
            foreach (var (partition, offset) in found)
            {
                result[(partition, batch.Key)] = offset;
            }
        });
        return new Dictionary<(TopicPartition, DateTimeOffset), long?>(result);
    }

    private async Task<Dictionary<(string, TopicPartition), Mm2Checkpoint>> ReadCheckpointsAsync(string alias, List<string> notes, CancellationToken cancellationToken)
    {
        var topic = Mm2Checkpoint.TopicFor(alias);
        var raw = await records.ReadTopicAsync(topic, cancellationToken);
        var result = new Dictionary<(string, TopicPartition), Mm2Checkpoint>();
        var undecodable = 0;
        foreach (var record in raw.OrderBy(r => r.Offset))
        {
            if (record.Key is null || record.Value is null)
            {
                continue;
            }
            try
            {
                var checkpoint = Mm2Checkpoint.Decode(record.Key, record.Value);
                // The topic is compacted by key: a later checkpoint replaces an earlier one.
                result[(checkpoint.Group, new TopicPartition(checkpoint.Topic, checkpoint.Partition))] = checkpoint;
            }
            catch (FormatException)
            {
                undecodable++;
            }
        }
        notes.Add($"translation: mm2 ({result.Count} checkpoint(s) read from {topic}{(undecodable > 0 ? $", {undecodable} record(s) not decodable" : "")})");
        return result;
    }
}
