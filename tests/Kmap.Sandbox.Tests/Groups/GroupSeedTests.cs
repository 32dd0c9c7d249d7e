using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Protocol;
using static Kmap.Sandbox.Tests.Groups.GroupTestSupport;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>`kmap sandbox --seed-group`: parsing the spec and what a seeded group looks like on the wire.</summary>
public class GroupSeedTests
{
    [Fact]
    public void Parses_type_group_offsets_and_member()
    {
        var seed = GroupSeed.Parse("Share:audit=orders/0@5, orders/1@7+member");
        Assert.Equal(GroupType.Share, seed.Type);
        Assert.Equal("audit", seed.GroupId);
        Assert.Equal([("orders", 0, 5L), ("orders", 1, 7L)], seed.Offsets);
        Assert.True(seed.WithMember);
        var bare = GroupSeed.Parse("streams:wc");
        Assert.Equal((GroupType.Streams, "wc", 0, false), (bare.Type, bare.GroupId, bare.Offsets.Count, bare.WithMember));
    }

    [Theory]
    [InlineData("audit", "no TYPE")]
    [InlineData("group:audit", "unknown group type 'group'")]
    [InlineData("share:", "empty group id")]
    [InlineData("share:audit=orders@5", "'orders@5' is not TOPIC/PARTITION@OFFSET")]
    [InlineData("share:audit=orders/x@5", "is not TOPIC/PARTITION@OFFSET")]
    [InlineData("classic:old+member", "a classic group gets members from a real consumer")]
    public void Bad_specs_say_what_is_wrong(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => GroupSeed.Parse(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(GroupSeed.Syntax, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeded_groups_are_listed_with_their_types_offsets_and_members()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 1 }, cancellationToken: Ct);
        var memberId = sandbox.Seed(GroupSeed.Parse("share:audit=orders/0@5,orders/1@7+member"));
        Assert.NotNull(memberId);
        Assert.Null(sandbox.Seed(GroupSeed.Parse("streams:wordcount=orders/0@3")));
        Assert.Throws<InvalidOperationException>(() => sandbox.Seed(GroupSeed.Parse("consumer:audit")));

        await using var client = await GroupProtocolClient.ConnectAsync(sandbox, 0);
        var listed = (await client.SendAsync(ListGroups, 5, new ListGroupsRequest([], []))).Groups.OrderBy(g => g.GroupId).ToList();
        Assert.Equal([("audit", "share", "Stable"), ("wordcount", "streams", "Empty")], listed.Select(g => (g.GroupId, g.GroupType, g.GroupState)));

        var starts = (await client.SendAsync(new DescribeShareGroupOffsetsHandler(), 0, new DescribeShareGroupOffsetsRequest([new("audit", null)]))).Groups.Single();
        Assert.Equal([5L, 7L], starts.Topics.Single().Partitions.Select(p => p.StartOffset));
        var committed = (await client.SendAsync(OffsetFetch, 8, new OffsetFetchRequest("", null, [new OffsetFetchRequestGroup("wordcount", null, -1, null)], false))).Groups.Single();
        Assert.Equal(3, committed.Topics.Single().Partitions.Single().CommittedOffset);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(2, sandbox.State.Topics["orders"].Partitions.Count);
        }
        Assert.Equal(ErrorCode.NonEmptyGroup, (await client.SendAsync(new AlterShareGroupOffsetsHandler(), 0,
            new AlterShareGroupOffsetsRequest("audit", [new("orders", [new(0, 1)])]))).ErrorCode);
    }
}
