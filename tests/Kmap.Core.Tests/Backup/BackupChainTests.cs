using CsCheck;
using Kmap.Core.Backup;
using Kmap.Core.Filters;
using Kmap.Core.Model;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Backup;

/// <summary>Differential backups, diff, filters, summaries and the new JSON fields.</summary>
public class BackupChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 20, 15, 0, 0, TimeSpan.Zero);

    private static OffsetBackup FromOffsets(DateTimeOffset at, long[] offsets) =>
        // offsets[i]: group g(i % 3), partition i / 3; negative means "no commit there".
        new(at, "c", offsets.Select((o, i) => (Group: $"g{i % 3}", Partition: i / 3, Offset: o))
            .Where(x => x.Offset >= 0)
            .GroupBy(x => x.Group)
            .Select(g => new GroupOffsets(g.Key, g.Select(x => new BackedUpOffset("t", x.Partition, x.Offset)).ToList(), at))
            .ToList());

    private static Dictionary<(string, TopicPartition), long> Flat(OffsetBackup b) =>
        b.ConsumerGroups.SelectMany(g => g.Offsets.Select(o => (g.Group, o))).ToDictionary(x => (x.Group, x.o.TopicPartition), x => x.o.Offset);

    [Fact]
    public void A_base_plus_its_delta_equals_the_full_backup()
    {
        // Offsets only move or appear between backups (a restore never deletes groups).
        Gen.Select(Gen.Long[-1, 50].Array[9], Gen.Long[0, 50].Array[9], Gen.Bool.Array[9]).Sample((before, after, moved) =>
        {
            var later = before.Select((b, i) => b < 0 || moved[i] ? after[i] : b).ToArray();
            var first = FromOffsets(T0, before);
            var second = FromOffsets(T0.AddHours(1), later);

            var delta = BackupChain.Delta(first, second, "base.json");
            var merged = BackupChain.Merge([first, delta]);

            Assert.Equal(Flat(second), Flat(merged));
            Assert.Equal(later.Where((l, i) => l != before[i]).Count(), delta.ConsumerGroups.Sum(g => g.Offsets.Count));
        });
    }

    [Fact]
    public async Task A_delta_file_finds_its_base_and_a_mismatched_base_is_refused()
    {
        using var dir = new TempDirectory();
        var first = FromOffsets(T0, [1, 2, 3]);
        var delta = BackupChain.Delta(first, FromOffsets(T0.AddHours(1), [1, 5, 3]), "base.json");
        await File.WriteAllTextAsync(dir.File("base.json"), OffsetBackupJson.Serialize(first), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("delta.json"), OffsetBackupJson.Serialize(delta), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("other.json"), OffsetBackupJson.Serialize(first with { Timestamp = T0.AddMinutes(1) }), TestContext.Current.CancellationToken);

        var chain = await BackupChain.LoadAsync([dir.File("delta.json")], TestContext.Current.CancellationToken);
        var wrong = await Assert.ThrowsAsync<FormatException>(() => BackupChain.LoadAsync([dir.File("other.json"), dir.File("delta.json")], TestContext.Current.CancellationToken));

        Assert.Equal(2, chain.Count);
        Assert.Equal(5, Flat(BackupChain.Merge(chain.Select(c => c.Backup).ToList()))[("g1", new TopicPartition("t", 0))]);
        Assert.Contains("was taken after a backup of 2026-01-20T15:00:00Z", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partition_counts_are_carried_by_a_delta_and_the_latest_file_of_a_chain_wins()
    {
        using var dir = new TempDirectory();
        var first = FromOffsets(T0, [1, 2, 3]) with { PartitionCounts = new Dictionary<string, int> { ["t"] = 6, ["gone"] = 2 } };
        // Offsets of t changed on one group only; t grew to 8 partitions meanwhile.
        var second = FromOffsets(T0.AddHours(1), [1, 5, 3]) with { PartitionCounts = new Dictionary<string, int> { ["t"] = 8 } };
        var delta = BackupChain.Delta(first, second, "base.json");
        await File.WriteAllTextAsync(dir.File("base.json"), OffsetBackupJson.Serialize(first), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(dir.File("delta.json"), OffsetBackupJson.Serialize(delta), TestContext.Current.CancellationToken);

        var chain = await BackupChain.LoadAsync([dir.File("delta.json")], TestContext.Current.CancellationToken);
        var merged = BackupChain.Merge(chain.Select(c => c.Backup).ToList());

        Assert.Contains("\"partition_counts\": {\n    \"t\": 8\n  }", File.ReadAllText(dir.File("delta.json")), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, int> { ["t"] = 8, ["gone"] = 2 }, merged.PartitionCounts);
        Assert.Equal(new Dictionary<string, int> { ["t"] = 6, ["gone"] = 2 }, BackupChain.Merge([first]).PartitionCounts);
    }

    [Fact]
    public void Diff_shows_moves_in_offsets_and_time_and_added_groups()
    {
        var a = new OffsetBackup(T0, "c", [new GroupOffsets("g", [new BackedUpOffset("t", 0, 4) { NextRecordTimestamp = T0 }], T0)]);
        var b = new OffsetBackup(T0, "c",
        [
            new GroupOffsets("g", [new BackedUpOffset("t", 0, 10) { NextRecordTimestamp = T0.AddMinutes(3) }], T0),
            new GroupOffsets("h", [new BackedUpOffset("t", 0, 1)], T0),
        ]);

        var changes = BackupDiff.Compute(a, b);

        Assert.Equal(2, changes.Count);
        Assert.Equal((6L, TimeSpan.FromMinutes(3)), (changes[0].Moved!.Value, changes[0].MovedInTime!.Value));
        Assert.Equal(("h", (long?)null, (long?)1), (changes[1].Group, changes[1].Before, changes[1].After));
    }

    [Theory]
    [InlineData("orders-*", "orders-eu", true)]
    [InlineData("orders-*", "orders", false)]
    [InlineData("orders-?", "orders-1", true)]
    [InlineData("orders-[ab]", "orders-b", true)]
    [InlineData("orders-[!ab]", "orders-b", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("re:^pay(ments)?$", "payments", true)]
    [InlineData("re:eu", "orders-eu-1", true)]
    [InlineData("re:^eu", "orders-eu-1", false)]
    public void Name_patterns_are_whole_name_globs_or_regexes(string pattern, string name, bool matches) =>
        Assert.Equal(matches, NamePattern.Parse(pattern).Matches(name));

    [Fact]
    public void Record_times_and_the_delta_reference_survive_the_json_round_trip()
    {
        var backup = new OffsetBackup(T0, "c",
            [new GroupOffsets("g", [new BackedUpOffset("t", 0, 4) { LogStartOffset = 0, LogEndOffset = 9, LastConsumedTimestamp = T0.AddMilliseconds(1234), NextRecordTimestamp = T0.AddMilliseconds(5678) }], T0)])
        { BaseFile = "base.json", BaseTimestamp = T0.AddHours(-1), IsRollback = true };

        var text = OffsetBackupJson.Serialize(backup);
        var back = OffsetBackupJson.Deserialize(text);

        Assert.Contains("\"last_consumed_timestamp\": \"2026-01-20T15:00:01.234Z\"", text, StringComparison.Ordinal);
        Assert.Contains("\"lag\": 5", text, StringComparison.Ordinal);
        Assert.Equal(backup.ConsumerGroups[0].Offsets[0], back.ConsumerGroups[0].Offsets[0]);
        Assert.Equal((backup.BaseFile, backup.BaseTimestamp, true), (back.BaseFile, back.BaseTimestamp, back.IsRollback));
    }

    [Fact]
    public async Task Record_times_are_read_in_one_round_for_positions_close_together_and_the_summary_names_the_oldest()
    {
        var records = new FakeRecords();
        for (var i = 0; i < 10; i++)
        {
            records.Add("t", 0, i, T0.AddSeconds(i));
        }
        var backup = new OffsetBackup(T0, "c",
        [
            new GroupOffsets("a", [new BackedUpOffset("t", 0, 3) { LogStartOffset = 0, LogEndOffset = 10 }], T0),
            new GroupOffsets("b", [new BackedUpOffset("t", 0, 4) { LogStartOffset = 0, LogEndOffset = 10 }], T0),
            new GroupOffsets("c", [new BackedUpOffset("t", 0, 10) { LogStartOffset = 0, LogEndOffset = 10 }], T0),
            new GroupOffsets("far", [new BackedUpOffset("t", 0, 500) { LogStartOffset = 0, LogEndOffset = 1000 }], T0),
        ]);

        var withTimes = await BackupRecordTimes.AddAsync(backup, records, TestContext.Current.CancellationToken);
        var summary = BackupSummary.Of(withTimes);

        // {2,3,4,9} are one range; 499 and 500 are another round.
        Assert.Equal(2, records.TimeReads);
        Assert.Null(withTimes.ConsumerGroups[3].Offsets[0].NextRecordTimestamp);
        Assert.Equal((T0.AddSeconds(2), T0.AddSeconds(3)), (withTimes.ConsumerGroups[0].Offsets[0].LastConsumedTimestamp, withTimes.ConsumerGroups[0].Offsets[0].NextRecordTimestamp));
        Assert.Equal(((DateTimeOffset?)T0.AddSeconds(9), (DateTimeOffset?)null), (withTimes.ConsumerGroups[2].Offsets[0].LastConsumedTimestamp, withTimes.ConsumerGroups[2].Offsets[0].NextRecordTimestamp));
        Assert.Equal((4, 4, 513L, "a t-0"), (summary.Groups, summary.Partitions, summary.TotalLag, summary.OldestWhere));
    }
}
