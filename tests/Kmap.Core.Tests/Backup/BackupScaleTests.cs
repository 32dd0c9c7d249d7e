using System.Text.Json;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Model;
using Kmap.Core.Tests.Support;

namespace Kmap.Core.Tests.Backup;

public class BackupScaleTests
{
    [Fact]
    public void Writing_100000_partition_offsets_streams_the_json_without_holding_the_document()
    {
        const int Groups = 10_000;
        const int Partitions = 10;
        var at = new DateTimeOffset(2026, 1, 20, 15, 30, 4, TimeSpan.Zero);
        var groups = Enumerable.Range(0, Groups).Select(g => new GroupOffsets($"group-{g:D5}",
            Enumerable.Range(0, Partitions).Select(p => new BackedUpOffset($"topic-{g % 50:D2}", p, 1_000L + g + p) { LogStartOffset = 0, LogEndOffset = 5_000 }).ToList(), at)).ToList();
        var backup = new OffsetBackup(at, "c:9092", groups);
        using var dir = new TempDirectory();
        var path = dir.File("backup.json");

        var before = GC.GetAllocatedBytesForCurrentThread();
        Kmap.Core.Config.AtomicFile.Write(path, stream => OffsetBackupJson.Write(stream, backup), null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var size = new FileInfo(path).Length;
        Assert.True(size > 8L << 20, $"the file is {size:N0} bytes");
        // A whole-document string would be twice the file's size (UTF-16) on top of a buffer of it.
        Assert.True(allocated < 4L << 20, $"writing {Groups * Partitions:N0} offsets ({size:N0} bytes) allocated {allocated:N0} bytes");
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var written = document.RootElement.GetProperty("consumer_groups");
        Assert.Equal(Groups, written.GetArrayLength());
        Assert.Equal(1_000L + 9_999 + 9, written[Groups - 1].GetProperty("topics").GetProperty("topic-49")[9].GetProperty("offset").GetInt64());
    }

    [Fact]
    public async Task Groups_the_batch_reader_answers_are_not_read_again_and_the_rest_are_read_one_by_one()
    {
        var cluster = new BatchingFakeCluster();
        for (var i = 0; i < 10; i++)
        {
            cluster.AddGroup($"g{i}", GroupState.Empty, ("t", 0, i));
        }
        cluster.LeftOutOfBatch.UnionWith(["g3", "g7"]);
        cluster.BatchErrors["g5"] = "GROUP_AUTHORIZATION_FAILED";
        var service = new OffsetBackupService(cluster, TimeProvider.System);

        var result = await service.BackupAsync(new BackupOptions("c:9092") { IncludeLogOffsets = false, AllowPartial = true }, TestContext.Current.CancellationToken);

        Assert.Equal(["g3", "g7"], cluster.ReadOneByOne.Order(StringComparer.Ordinal));
        Assert.Equal(["g0", "g1", "g2", "g3", "g4", "g6", "g7", "g8", "g9"], result.Backup.ConsumerGroups.Select(g => g.Group));
        Assert.Equal(7, result.Backup.ConsumerGroups.Single(g => g.Group == "g7").Offsets.Single().Offset);
        Assert.Equal("g5", Assert.Single(result.FailedGroups).Item1);
    }

    private sealed class BatchingFakeCluster : IClusterReader, IBatchOffsetReader
    {
        private readonly FakeCluster inner = new();

        public HashSet<string> LeftOutOfBatch { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> BatchErrors { get; } = new(StringComparer.Ordinal);
        public List<string> ReadOneByOne { get; } = [];

        public void AddGroup(string group, string state, params (string Topic, int Partition, long Offset)[] commits) => inner.AddGroup(group, state, commits);

        public Task<IReadOnlyDictionary<string, GroupOffsetsAnswer>?> ListCommittedOffsetsAsync(IReadOnlyList<string> groups, Action<int>? progress, CancellationToken cancellationToken)
        {
            var answers = new Dictionary<string, GroupOffsetsAnswer>(StringComparer.Ordinal);
            foreach (var group in groups.Where(g => !LeftOutOfBatch.Contains(g)))
            {
                answers[group] = BatchErrors.TryGetValue(group, out var error)
                    ? new GroupOffsetsAnswer(null, error)
                    : new GroupOffsetsAnswer(inner.Commits[group].Select(c => new CommittedOffset(c.Key.Topic, c.Key.Partition, c.Value)).ToList(), null);
            }
            progress?.Invoke(answers.Count);
            return Task.FromResult<IReadOnlyDictionary<string, GroupOffsetsAnswer>?>(answers);
        }

        public async Task<IReadOnlyList<CommittedOffset>> ListCommittedOffsetsAsync(string group, CancellationToken cancellationToken)
        {
            lock (ReadOneByOne)
            {
                ReadOneByOne.Add(group);
            }
            return await inner.ListCommittedOffsetsAsync(group, cancellationToken);
        }

        public Task<string?> GetClusterIdAsync(CancellationToken cancellationToken) => inner.GetClusterIdAsync(cancellationToken);
        public Task<IReadOnlyList<GroupListing>> ListGroupsAsync(CancellationToken cancellationToken) => inner.ListGroupsAsync(cancellationToken);
        public Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IReadOnlyCollection<string> groups, CancellationToken cancellationToken) => inner.DescribeGroupsAsync(groups, cancellationToken);
        public Task<IReadOnlyDictionary<TopicPartition, LogOffsets>> ListLogOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken) => inner.ListLogOffsetsAsync(partitions, cancellationToken);
        public Task<IReadOnlyDictionary<TopicPartition, long?>> ListOffsetsForTimeAsync(IReadOnlyCollection<TopicPartition> partitions, DateTimeOffset time, CancellationToken cancellationToken) => inner.ListOffsetsForTimeAsync(partitions, time, cancellationToken);
        public Task<IReadOnlyDictionary<string, int>> ListTopicsAsync(CancellationToken cancellationToken) => inner.ListTopicsAsync(cancellationToken);
    }
}
