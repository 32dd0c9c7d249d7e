using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>The versions Kafka 3.9 and 4.1 added over what the sandbox served before its version profiles, with hand-built requests.</summary>
public class NewestVersionsRawProtocolTests
{
    private static async Task<(SandboxCluster Sandbox, Guid TopicId)> StartWithTopicAsync()
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { KafkaVersion = "4.1" });
        lock (sandbox.State.Sync)
        {
            return (sandbox, sandbox.State.CreateTopic("newest", 1, 1).TopicId);
        }
    }

    private static byte[] Batch(int records) =>
        RecordBatchBuilder.Build([.. Enumerable.Range(0, records).Select(i => ((byte[]?)[(byte)i], (byte[]?)[(byte)i], 1_700_000_000_000L + i))], -1, -1, -1);

    [Fact]
    public async Task Produce_v13_names_topics_by_id_and_answers_an_unknown_id_with_UNKNOWN_TOPIC_ID()
    {
        var (sandbox, topicId) = await StartWithTopicAsync();
        await using var _ = sandbox;
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var unknown = Guid.NewGuid();
        var request = new ProduceRequest(null, -1, 5000,
        [
            new ProduceTopicData("", [new ProducePartitionData(0, Batch(3))]) { TopicId = topicId },
            new ProduceTopicData("", [new ProducePartitionData(0, Batch(1))]) { TopicId = unknown },
        ]);
        var response = await connection.RoundTripAsync<ProduceRequest, ProduceResponse>(ApiKey.Produce, 13, request, flexible: true);

        Assert.Equal([topicId, unknown], response.Responses.Select(r => r.TopicId));
        Assert.Equal(ErrorCode.None, response.Responses[0].Partitions.Single().ErrorCode);
        Assert.Equal(ErrorCode.UnknownTopicId, response.Responses[1].Partitions.Single().ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(3, sandbox.State.FindPartition("newest", 0)!.HighWatermark);
        }
    }

    [Fact]
    public async Task ListOffsets_v10_answers_earliest_local_with_the_log_start_and_latest_tiered_with_none()
    {
        var (sandbox, _) = await StartWithTopicAsync();
        await using var __ = sandbox;
        lock (sandbox.State.Sync)
        {
            var log = sandbox.State.FindPartition("newest", 0)!;
            log.Append(Log.RecordBatchReader.Validate(Batch(4)).Batches.Single(), 0, logAppendTime: false);
            log.DeleteRecordsBefore(2);
        }
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);

        async Task<ListOffsetsPartitionResponse> Query(long timestamp)
        {
            var request = new ListOffsetsRequest(-1, 0, [new ListOffsetsTopic("newest", [new ListOffsetsPartition(0, -1, timestamp, 1)])]) { TimeoutMs = 1000 };
            var response = await connection.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(ApiKey.ListOffsets, 10, request, flexible: true);
            return Assert.Single(Assert.Single(response.Topics).Partitions);
        }

        var earliestLocal = await Query(ListOffsetsRequest.EarliestLocal);
        Assert.Equal((ErrorCode.None, 2L, -1L), (earliestLocal.ErrorCode, earliestLocal.Offset, earliestLocal.Timestamp));
        var latestTiered = await Query(ListOffsetsRequest.LatestTiered);
        Assert.Equal((ErrorCode.None, -1L, -1), (latestTiered.ErrorCode, latestTiered.Offset, latestTiered.LeaderEpoch));
    }

    [Fact]
    public async Task Metadata_v13_ends_with_a_top_level_error_code()
    {
        var (sandbox, topicId) = await StartWithTopicAsync();
        await using var _ = sandbox;
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<MetadataRequest, MetadataResponse>(
            ApiKey.Metadata, 13, new MetadataRequest([new MetadataRequestTopic(Guid.Empty, "newest")], false, false, false), flexible: true);
        Assert.Equal(ErrorCode.None, response.ErrorCode);
        Assert.Equal(topicId, Assert.Single(response.Topics).TopicId);
    }

    [Fact]
    public async Task DescribeCluster_v2_reads_include_fenced_brokers_and_marks_no_broker_fenced()
    {
        await using var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = 2 });
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<DescribeClusterRequest, DescribeClusterResponse>(
            ApiKey.DescribeCluster, 2, new DescribeClusterRequest(false, DescribeClusterRequest.Brokers) { IncludeFencedBrokers = true }, flexible: true);
        Assert.Equal(ErrorCode.None, response.ErrorCode);
        Assert.Equal(2, response.Brokers.Count);
        Assert.All(response.Brokers, b => Assert.False(b.IsFenced));
    }

    [Theory]
    [InlineData(ApiKey.FindCoordinator, (short)6)]
    [InlineData(ApiKey.InitProducerId, (short)5)]
    [InlineData(ApiKey.ApiVersions, (short)4)]
    public async Task Versions_that_only_renumber_the_previous_one_are_answered(ApiKey key, short version)
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        ErrorCode error = key switch
        {
            ApiKey.FindCoordinator => Assert.Single((await connection.RoundTripAsync<FindCoordinatorRequest, FindCoordinatorResponse>(
                key, version, new FindCoordinatorRequest("", 0, ["g"]), flexible: true)).Coordinators).ErrorCode,
            ApiKey.InitProducerId => (await connection.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(
                key, version, new InitProducerIdRequest(null, 60_000, -1, -1), flexible: true)).ErrorCode,
            _ => (await connection.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(
                key, version, new ApiVersionsRequest("kmap-test", "1.0"), flexible: true)).ErrorCode,
        };
        Assert.Equal(ErrorCode.None, error);
    }
}
