using System.Buffers.Binary;
using System.Text;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Filters;
using Kmap.Core.Model;
using Kmap.Core.Restore;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Restore;

/// <summary>The restore planner on in-memory clusters: translation, validation, policies, rollback, idempotence.</summary>
public class OffsetRestorePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 20, 15, 0, 0, TimeSpan.Zero);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Target: `lead` older records, then records whose times are T0 + i seconds (source offset i).</summary>
    private static (FakeCluster Cluster, FakeRecords Records) Target(int lead, int count = 20)
    {
        var cluster = new FakeCluster();
        var records = new FakeRecords();
        cluster.AddTopic("orders", 1, 0, lead + count);
        var times = new List<(DateTimeOffset, long)>();
        for (var i = 0; i < lead; i++)
        {
            times.Add((T0.AddDays(-1).AddSeconds(i), i));
            records.Add("orders", 0, i, T0.AddDays(-1).AddSeconds(i));
        }
        for (var i = 0; i < count; i++)
        {
            times.Add((T0.AddSeconds(i), lead + i));
            records.Add("orders", 0, lead + i, T0.AddSeconds(i));
        }
        cluster.Timestamps[new TopicPartition("orders", 0)] = times;
        return (cluster, records);
    }

    private static BackedUpOffset Offset(long offset, long end = 20) => new("orders", 0, offset)
    {
        LogStartOffset = 0,
        LogEndOffset = end,
        LastConsumedTimestamp = offset > 0 ? T0.AddSeconds(offset - 1) : null,
        NextRecordTimestamp = offset < end ? T0.AddSeconds(offset) : null,
    };

    private static OffsetBackup Backup(params (string Group, BackedUpOffset Offset)[] offsets) =>
        new(T0, "source:9092", offsets.GroupBy(o => o.Group).Select(g => new GroupOffsets(g.Key, g.Select(x => x.Offset).ToList(), T0)).ToList()) { ClusterId = "source-id" };

    private static Task<ResetPlan> Plan(FakeCluster cluster, FakeRecords records, RestoreRequest request) =>
        new OffsetRestorePlanner(cluster, records).PlanAsync(request, Ct);

    [Fact]
    public async Task Timestamp_translation_skips_the_targets_extra_leading_records_and_a_caught_up_group_stays_caught_up()
    {
        var (cluster, records) = Target(lead: 7);
        var backup = Backup(("g", Offset(5)), ("done", Offset(20)));

        var plan = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Timestamp });

        var g = plan.Groups.Single(x => x.Group == "g").Offsets.Single();
        var done = plan.Groups.Single(x => x.Group == "done").Offsets.Single();
        Assert.Equal((5L, 12L, true), (g.BackupOffset!.Value, g.NewOffset, g.Write));
        Assert.StartsWith("time ", g.Derivation, StringComparison.Ordinal);
        Assert.Equal(27, done.NewOffset);
        Assert.StartsWith("caught up", done.Derivation, StringComparison.Ordinal);
    }

    /// <summary>Target: 25 records whose times are all <paramref name="shift"/> away from the source's (a replay with new times).</summary>
    private static (FakeCluster Cluster, FakeRecords Records) Replayed(TimeSpan shift)
    {
        var cluster = new FakeCluster();
        var records = new FakeRecords();
        cluster.AddTopic("orders", 1, 0, 25);
        var times = new List<(DateTimeOffset, long)>();
        for (var i = 0; i < 25; i++)
        {
            times.Add((T0.Add(shift).AddSeconds(i), i));
            records.Add("orders", 0, i, T0.Add(shift).AddSeconds(i));
        }
        cluster.Timestamps[new TopicPartition("orders", 0)] = times;
        return (cluster, records);
    }

    [Fact]
    public async Task Auto_marks_rows_ambiguous_where_every_target_record_is_newer_or_older_and_never_where_times_overlap()
    {
        var backup = Backup(("caught-up", Offset(20)), ("half", Offset(8)));
        var (newer, newerRecords) = Replayed(TimeSpan.FromHours(2));
        var (older, olderRecords) = Replayed(TimeSpan.FromDays(-1));
        var (shifted, shiftedRecords) = Target(lead: 3);

        var onNewer = await Plan(newer, newerRecords, new RestoreRequest(backup));
        var onOlder = await Plan(older, olderRecords, new RestoreRequest(backup));
        var explicitTime = await Plan(newer, newerRecords, new RestoreRequest(backup) { Translate = TranslateMode.Timestamp });
        var onShifted = await Plan(shifted, shiftedRecords, new RestoreRequest(backup));

        var caughtUp = onNewer.Groups.Single(g => g.Group == "caught-up").Offsets.Single();
        var half = onNewer.Groups.Single(g => g.Group == "half").Offsets.Single();
        Assert.Equal((true, false, 20L, 0L), (caughtUp.IsAmbiguous, caughtUp.Write, caughtUp.IfOffset!.Value, caughtUp.IfTimestamp!.Value));
        Assert.StartsWith("every record on the target is newer than the last record the group read", caughtUp.Ambiguous, StringComparison.Ordinal);
        Assert.Equal((true, 8L, 0L), (half.IsAmbiguous, half.IfOffset!.Value, half.IfTimestamp!.Value));
        Assert.Contains(onNewer.Notes, n => n.StartsWith("warning: 2 partition(s) of 2 group(s) are AMBIGUOUS", StringComparison.Ordinal));
        Assert.All(onOlder.Groups.SelectMany(g => g.Offsets), o => Assert.StartsWith("every record on the target is older", o.Ambiguous, StringComparison.Ordinal));
        Assert.DoesNotContain(explicitTime.Groups.SelectMany(g => g.Offsets), o => o.IsAmbiguous);
        Assert.DoesNotContain(onShifted.Groups.SelectMany(g => g.Offsets), o => o.IsAmbiguous);
        Assert.Equal(23, onShifted.Groups.Single(g => g.Group == "caught-up").Offsets.Single().NewOffset);
        // verify cannot compare an ambiguous group: it says so instead of reporting no drift.
        Assert.Equal(2, DriftReport.Compute(onNewer).Errors.Count);
    }

    [Fact]
    public async Task Auto_uses_offsets_when_record_times_line_up_or_without_times_on_the_same_cluster_and_timestamps_otherwise()
    {
        var (shifted, shiftedRecords) = Target(lead: 3);
        var (aligned, alignedRecords) = Target(lead: 0);
        var backup = Backup(("g", Offset(5)));
        var withoutTimes = Backup(("g", Offset(5) with { LastConsumedTimestamp = null, NextRecordTimestamp = null }));

        var sameIdNoTimes = await Plan(shifted, shiftedRecords, new RestoreRequest(withoutTimes with { ClusterId = "fake-cluster" }));
        var sameIdRecreated = await Plan(shifted, shiftedRecords, new RestoreRequest(backup with { ClusterId = "fake-cluster" }));
        var lined = await Plan(aligned, alignedRecords, new RestoreRequest(backup));
        var differ = await Plan(shifted, shiftedRecords, new RestoreRequest(backup));

        Assert.Equal(5, sameIdNoTimes.Groups[0].Offsets[0].NewOffset);
        Assert.Contains(sameIdNoTimes.Notes, n => n.StartsWith("translation: offset (auto: the target is the backed-up cluster", StringComparison.Ordinal));
        Assert.Equal(8, sameIdRecreated.Groups[0].Offsets[0].NewOffset);
        Assert.Contains(sameIdRecreated.Notes, n => n.Contains("topics recreated or records deleted", StringComparison.Ordinal));
        Assert.Equal(5, lined.Groups[0].Offsets[0].NewOffset);
        Assert.Contains(lined.Notes, n => n.Contains("record times at the backed-up offsets match", StringComparison.Ordinal));
        Assert.Equal(8, differ.Groups[0].Offsets[0].NewOffset);
        Assert.Contains(differ.Notes, n => n.StartsWith("translation: timestamp (auto: another cluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task To_datetime_replaces_the_backed_up_positions()
    {
        var (cluster, records) = Target(lead: 4);
        var plan = await Plan(cluster, records, new RestoreRequest(Backup(("g", Offset(1)))) { ToTime = T0.AddSeconds(10) });

        Assert.Equal(14, plan.Groups[0].Offsets[0].NewOffset);
    }

    [Theory]
    [InlineData(OutOfRangePolicy.Clamp, 10L, "clamped")]
    [InlineData(OutOfRangePolicy.Earliest, 0L, "earliest")]
    [InlineData(OutOfRangePolicy.Latest, 10L, "latest")]
    public async Task Out_of_range_offsets_follow_the_policy_and_are_always_reported(OutOfRangePolicy policy, long expected, string note)
    {
        var (cluster, records) = Target(lead: 0, count: 10);
        var plan = await Plan(cluster, records, new RestoreRequest(Backup(("g", Offset(15)))) { Translate = TranslateMode.Offset, OutOfRange = policy });

        var row = plan.Groups[0].Offsets[0];
        Assert.Equal(expected, row.NewOffset);
        Assert.Contains(note, row.Note, StringComparison.Ordinal);
        Assert.Contains("15 is outside the target's log [0, 10]", row.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_range_fail_refuses_the_group()
    {
        var (cluster, records) = Target(lead: 0, count: 10);
        var plan = await Plan(cluster, records, new RestoreRequest(Backup(("g", Offset(15)))) { Translate = TranslateMode.Offset, OutOfRange = OutOfRangePolicy.Fail });

        Assert.False(plan.Groups[0].CanApply);
        Assert.Contains("--out-of-range fail", plan.Groups[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Active_groups_are_refused_missing_topics_are_refused_or_created()
    {
        var (cluster, records) = Target(lead: 0);
        cluster.GroupStates["live"] = GroupState.Stable;
        cluster.Members["live"] = 2;
        var backup = Backup(("live", Offset(3)), ("g", Offset(3) with { Topic = "payments", Partition = 4 }));

        var refused = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset });
        var created = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset, CreateMissingTopics = true });

        Assert.Equal("group 'live' is active on the target (Stable, 2 member(s)); stop its consumers, wait until it is Empty, then run the restore again", refused.Groups.Single(g => g.Group == "live").Error);
        Assert.Contains("payments-4", refused.Groups.Single(g => g.Group == "g").Error, StringComparison.Ordinal);
        Assert.Equal(5, created.TopicsToCreate["payments"]);
        Assert.True(created.Groups.Single(g => g.Group == "g").CanApply);
    }

    [Fact]
    public async Task Missing_topics_are_created_with_the_sources_partition_count_or_highest_plus_one_with_a_warning()
    {
        var (cluster, records) = Target(lead: 0);
        var offsets = Backup(("g", Offset(3) with { Topic = "payments", Partition = 1 }), ("h", Offset(3) with { Topic = "audit", Partition = 0 }));
        var withCounts = offsets with { PartitionCounts = new Dictionary<string, int> { ["payments"] = 6 } };

        var plan = await Plan(cluster, records, new RestoreRequest(withCounts) { Translate = TranslateMode.Offset, CreateMissingTopics = true });

        Assert.Equal(6, plan.TopicsToCreate["payments"]);
        Assert.Contains(plan.Notes, n => n.StartsWith("topic 'payments' is missing on the target: it will be created with 6 partition(s), as on the source", StringComparison.Ordinal));
        Assert.Equal(1, plan.TopicsToCreate["audit"]);
        Assert.Contains(plan.Notes, n => n.StartsWith("warning: the backup does not say how many partitions topic 'audit' had on the source", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Notes, n => n.Contains("topic 'payments' had", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_plans_active_groups_too_they_stay_refused_and_their_drift_is_marked_expected()
    {
        var (cluster, records) = Target(lead: 0);
        cluster.AddGroup("live", GroupState.Stable, ("orders", 0, 9));
        cluster.Members["live"] = 2;
        cluster.AddGroup("idle", GroupState.Empty, ("orders", 0, 3));
        var backup = Backup(("live", Offset(3)), ("idle", Offset(3)));

        var restore = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset, Overwrite = true });
        var verify = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset, Overwrite = true, IncludeActiveGroups = true });
        var report = DriftReport.Compute(verify);
        cluster.Commits["idle"][new TopicPartition("orders", 0)] = 4;
        var idleDrift = DriftReport.Compute(await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset, Overwrite = true, IncludeActiveGroups = true }));

        Assert.Empty(restore.Groups.Single(g => g.Group == "live").Offsets);
        var live = verify.Groups.Single(g => g.Group == "live");
        Assert.False(live.CanApply);
        Assert.Equal(2, live.ActiveMembers);
        Assert.Equal((3L, (long?)9), (live.Offsets[0].NewOffset, live.Offsets[0].Current));
        Assert.Equal(2, report.Compared);
        var drift = Assert.Single(report.Drifted);
        Assert.Equal(("live", 6L, true), (drift.Group, drift.Drift!.Value, drift.GroupActive));
        Assert.False(report.HasUnexpectedDrift);
        Assert.Equal(["live"], report.ActiveGroups.Select(g => g.Group));
        Assert.True(idleDrift.HasUnexpectedDrift);
        Assert.Equal(2, idleDrift.Drifted.Count);
    }

    [Fact]
    public async Task Existing_groups_are_kept_moved_forward_with_no_rewind_or_replaced_with_overwrite()
    {
        var (cluster, records) = Target(lead: 0);
        cluster.AddGroup("g", GroupState.Empty, ("orders", 0, 8));
        var backward = new RestoreRequest(Backup(("g", Offset(3)))) { Translate = TranslateMode.Offset };
        var forward = new RestoreRequest(Backup(("g", Offset(12)))) { Translate = TranslateMode.Offset };

        var kept = await Plan(cluster, records, backward);
        var noRewindBack = await Plan(cluster, records, backward with { NoRewind = true });
        var noRewindForward = await Plan(cluster, records, forward with { NoRewind = true });
        var overwrite = await Plan(cluster, records, backward with { Overwrite = true });

        Assert.False(kept.Groups[0].Offsets[0].Write);
        Assert.Contains(kept.Groups[0].Warnings, w => w.Contains("--overwrite", StringComparison.Ordinal));
        Assert.False(noRewindBack.Groups[0].Offsets[0].Write);
        Assert.Contains("--no-rewind", noRewindBack.Groups[0].Offsets[0].Note, StringComparison.Ordinal);
        Assert.True(noRewindForward.Groups[0].Offsets[0].Write);
        Assert.Equal(4, noRewindForward.Groups[0].Offsets[0].Change);
        Assert.True(overwrite.Groups[0].Offsets[0].Write);
        Assert.Equal(-5, overwrite.Groups[0].Offsets[0].Change);
    }

    [Fact]
    public async Task Applying_twice_is_a_no_op_and_the_rollback_file_restores_the_previous_offsets()
    {
        var (cluster, records) = Target(lead: 0);
        cluster.AddGroup("g", GroupState.Empty, ("orders", 0, 8));
        var request = new RestoreRequest(Backup(("g", Offset(3)))) { Translate = TranslateMode.Offset, Overwrite = true };
        var executor = new ResetExecutor(cluster);

        var plan = await Plan(cluster, records, request);
        var (rollback, withoutPrevious) = RollbackFile.Build(plan, "target:9092", "fake-cluster", T0);
        var first = await executor.ApplyAsync(plan, new ApplyOptions(), cluster, Ct);
        var again = await Plan(cluster, records, request);
        var second = await executor.ApplyAsync(again, new ApplyOptions(), cluster, Ct);
        var undoPlan = await Plan(cluster, records, new RestoreRequest(OffsetBackupJson.Deserialize(OffsetBackupJson.Serialize(rollback))));
        await executor.ApplyAsync(undoPlan, new ApplyOptions(), cluster, Ct);

        Assert.True(first.Single().Succeeded);
        Assert.True(again.Groups[0].IsNoOp);
        Assert.True(second.Single().WasNoOp);
        Assert.Empty(withoutPrevious);
        Assert.True(undoPlan.Groups[0].Offsets[0].Write);
        Assert.Equal(8, cluster.Commits["g"][new TopicPartition("orders", 0)]);
    }

    [Fact]
    public async Task Mm2_translation_decodes_checkpoints_and_follows_the_renamed_topic()
    {
        var (cluster, records) = Target(lead: 0);
        cluster.AddTopic("src.orders", 1, 0, 50);
        // Written by hand, as MM2's Checkpoint.serializeKey/serializeValue lay the bytes out.
        records.Add("src.checkpoints.internal", 0, 0, T0, Key("g", "src.orders", 0), Value(3, 30));
        records.Add("src.checkpoints.internal", 0, 1, T0, Key("g", "src.orders", 0), Value(5, 41));

        var plan = await Plan(cluster, records, new RestoreRequest(Backup(("g", Offset(5)), ("h", Offset(5)))) { Translate = TranslateMode.Mm2, SourceAlias = "src" });

        var g = plan.Groups.Single(x => x.Group == "g").Offsets.Single();
        var h = plan.Groups.Single(x => x.Group == "h").Offsets.Single();
        Assert.Equal(("src.orders", 41L, "mm2 5->41"), (g.Topic, g.NewOffset, g.Derivation!));
        Assert.False(h.Write);
        Assert.Contains("no MM2 checkpoint", h.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_select_groups_and_topics_by_glob_and_regex()
    {
        var (cluster, records) = Target(lead: 0);
        var backup = Backup(("orders-a", Offset(1)), ("orders-b", Offset(2)), ("audit", Offset(3)));
        var filter = new BackupFilter(NameFilter.Parse(["orders-*", "audit"], ["re:-b$"]), NameFilter.Parse(["ord?rs"], null));

        var plan = await Plan(cluster, records, new RestoreRequest(backup) { Filter = filter, Translate = TranslateMode.Offset });

        Assert.Equal(["audit", "orders-a"], plan.Groups.Select(g => g.Group).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Executor_retries_retriable_errors_writes_each_group_in_one_commit_and_verifies()
    {
        var (cluster, records) = Target(lead: 0);
        var flaky = new FlakyWriter(cluster, failures: 2);
        var backup = new OffsetBackup(T0, "s", [new GroupOffsets("g", [Offset(1), Offset(2) with { Partition = 1 }], T0)]);
        cluster.AddTopic("orders", 2, 0, 20);

        var plan = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset });
        var result = await new ResetExecutor(flaky).ApplyAsync(plan, new ApplyOptions { RetryDelay = TimeSpan.FromMilliseconds(1) }, cluster, Ct);

        Assert.True(result.Single().Succeeded, result.Single().ToString());
        Assert.Equal(3, result.Single().Attempts);
        Assert.All(flaky.Calls, c => Assert.Equal(2, c));
    }

    [Fact]
    public async Task Interrupted_the_commit_in_flight_completes_no_group_starts_after_it_and_no_retry_is_sent()
    {
        var (cluster, records) = Target(lead: 0);
        cluster.AddTopic("orders", 2, 0, 20);
        var backup = new OffsetBackup(T0, "source:9092", new[] { "a", "b", "c" }.Select(g =>
            new GroupOffsets(g, [new BackedUpOffset("orders", 0, 3), new BackedUpOffset("orders", 1, 4)], T0)).ToList());
        var plan = await Plan(cluster, records, new RestoreRequest(backup) { Translate = TranslateMode.Offset });
        using var ctrlC = new CancellationTokenSource();
        // Ctrl-C arrives while the first group's commit is on its way.
        var interrupting = new InterruptingWriter(cluster, ctrlC);
        var done = new List<string>();

        var results = await new ResetExecutor(interrupting).ApplyAsync(plan, new ApplyOptions { MaxConcurrency = 1, GroupDone = r => done.Add(r.Group) }, cluster, ctrlC.Token);
        using var again = new CancellationTokenSource();
        var flaky = new FlakyWriter(cluster, failures: 1);
        var retried = await new ResetExecutor(new CancellingWriter(flaky, again)).ApplyAsync(plan with { Groups = [plan.Groups[1]] }, new ApplyOptions { RetryDelay = TimeSpan.FromSeconds(30) }, cluster, again.Token);

        Assert.True(results[0].Succeeded);
        Assert.Equal(new long[] { 3, 4 }, new[] { cluster.Commits["a"][new TopicPartition("orders", 0)], cluster.Commits["a"][new TopicPartition("orders", 1)] });
        Assert.All(results.Skip(1), r => Assert.True(r.Interrupted && r.Attempts == 0 && !r.Succeeded, r.ToString()));
        Assert.False(cluster.Commits.ContainsKey("b"));
        Assert.False(cluster.Commits.ContainsKey("c"));
        Assert.Equal(new[] { "a", "b", "c" }, done);
        Assert.Equal(1, interrupting.Calls);
        Assert.True(retried.Single().Interrupted);
        Assert.Single(flaky.Calls);
        Assert.False(cluster.Commits.ContainsKey("b"));
    }

    /// <summary>Cancels the token (as Ctrl-C does) when the first commit is sent, then lets it through.</summary>
    private sealed class InterruptingWriter(FakeCluster inner, CancellationTokenSource ctrlC) : IOffsetWriter
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
        {
            Calls++;
            ctrlC.Cancel();
            return inner.AlterOffsetsAsync(group, offsets, cancellationToken);
        }

        public Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken) => inner.DeleteGroupsAsync(groups, cancellationToken);

        public Task<IReadOnlyList<PartitionResult>> DeleteOffsetsAsync(string group, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) => inner.DeleteOffsetsAsync(group, partitions, cancellationToken);
    }

    /// <summary>Cancels the token when a commit fails, so the pause before the retry is interrupted.</summary>
    private sealed class CancellingWriter(IOffsetWriter inner, CancellationTokenSource ctrlC) : IOffsetWriter
    {
        public async Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
        {
            try
            {
                return await inner.AlterOffsetsAsync(group, offsets, cancellationToken);
            }
            finally
            {
                await ctrlC.CancelAsync();
            }
        }

        public Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken) => inner.DeleteGroupsAsync(groups, cancellationToken);

        public Task<IReadOnlyList<PartitionResult>> DeleteOffsetsAsync(string group, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) => inner.DeleteOffsetsAsync(group, partitions, cancellationToken);
    }

    private sealed class FlakyWriter(FakeCluster inner, int failures) : IOffsetWriter
    {
        private int left = failures;

        public List<int> Calls { get; } = [];

        public Task<IReadOnlyList<PartitionResult>> AlterOffsetsAsync(string group, IReadOnlyList<CommittedOffset> offsets, CancellationToken cancellationToken)
        {
            Calls.Add(offsets.Count);
            return left-- > 0
                ? throw new ClusterException($"cannot commit offsets for group '{group}': Broker: Not coordinator")
                : inner.AlterOffsetsAsync(group, offsets, cancellationToken);
        }

        public Task<IReadOnlyList<GroupResult>> DeleteGroupsAsync(IReadOnlyList<string> groups, CancellationToken cancellationToken) => inner.DeleteGroupsAsync(groups, cancellationToken);

        public Task<IReadOnlyList<PartitionResult>> DeleteOffsetsAsync(string group, IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) => inner.DeleteOffsetsAsync(group, partitions, cancellationToken);
    }

    private static byte[] Key(string group, string topic, int partition)
    {
        var bytes = new List<byte>();
        bytes.AddRange(Str(group));
        bytes.AddRange(Str(topic));
        var p = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(p, partition);
        bytes.AddRange(p);
        return [.. bytes];
    }

    private static byte[] Value(long upstream, long downstream)
    {
        var bytes = new byte[2 + 8 + 8];
        BinaryPrimitives.WriteInt16BigEndian(bytes, 0);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(2), upstream);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(10), downstream);
        return [.. bytes, .. Str("")];
    }

    private static byte[] Str(string text)
    {
        var data = Encoding.UTF8.GetBytes(text);
        var length = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(length, (short)data.Length);
        return [.. length, .. data];
    }
}
