using System.Diagnostics;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Exact protocol answers of Produce, Fetch, ListOffsets and DescribeLogDirs, checked with hand-built requests.</summary>
public class LogRawProtocolTests
{
    private const short ProduceVersion = 9;
    private const short FetchVersion = 12;

    private static byte[] Batch(int records, long firstTimestamp = 1_700_000_000_000, long producerId = -1, int baseSequence = -1) =>
        RecordBatchBuilder.Build([.. Enumerable.Range(0, records).Select(i => ((byte[]?)[(byte)i], (byte[]?)[1, 2, (byte)i], firstTimestamp + (i * 10)))],
            producerId, producerId >= 0 ? (short)0 : (short)-1, baseSequence);

    private static ProduceRequest Produce(string topic, int partition, byte[]? records, short acks = -1) =>
        new(null, acks, 5000, [new ProduceTopicData(topic, [new ProducePartitionData(partition, records)])]);

    private static FetchRequest Fetch(string topic, int partition, long offset, int maxWaitMs = 0, int minBytes = 1, int sessionId = 0) =>
        new(-1, maxWaitMs, minBytes, 1 << 20, 0, sessionId, -1, [new FetchTopic(topic, Guid.Empty, [new FetchPartition(partition, -1, offset, -1, -1, 1 << 20)])], [], "");

    private static async Task<ProducePartitionResponse> ProduceAsync(RawKafkaConnection connection, ProduceRequest request)
    {
        var response = await connection.RoundTripAsync<ProduceRequest, ProduceResponse>(ApiKey.Produce, ProduceVersion, request, flexible: true);
        return Assert.Single(Assert.Single(response.Responses).Partitions);
    }

    private static async Task<FetchPartitionData> FetchAsync(RawKafkaConnection connection, FetchRequest request)
    {
        var response = await connection.RoundTripAsync<FetchRequest, FetchResponse>(ApiKey.Fetch, FetchVersion, request, flexible: true);
        Assert.Equal(ErrorCode.None, response.ErrorCode);
        return Assert.Single(Assert.Single(response.Responses).Partitions);
    }

    private static async Task<SandboxCluster> StartWithTopicAsync(int brokers, int partitions, string kafkaVersion = "4.1")
    {
        var sandbox = await SandboxCluster.StartAsync(new SandboxOptions { BrokerCount = brokers, KafkaVersion = kafkaVersion });
        lock (sandbox.State.Sync)
        {
            sandbox.State.CreateTopic("raw", partitions, 1);
        }
        return sandbox;
    }

    private static string AddressOf(SandboxCluster sandbox, int brokerId)
    {
        var broker = sandbox.State.Brokers.Single(b => b.Id == brokerId);
        return $"{broker.Host}:{broker.Port}";
    }

    [Fact]
    public async Task Produce_then_fetch_returns_the_batch_with_its_offsets_rewritten()
    {
        await using var sandbox = await StartWithTopicAsync(1, 1);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var first = await ProduceAsync(connection, Produce("raw", 0, Batch(3)));
        var second = await ProduceAsync(connection, Produce("raw", 0, Batch(2)));
        Assert.Equal((ErrorCode.None, 0L), (first.ErrorCode, first.BaseOffset));
        Assert.Equal((ErrorCode.None, 3L), (second.ErrorCode, second.BaseOffset));
        Assert.Equal(-1, second.LogAppendTimeMs);

        var data = await FetchAsync(connection, Fetch("raw", 0, 3));
        Assert.Equal(5, data.HighWatermark);
        Assert.Equal(5, data.LastStableOffset);
        Assert.Equal(0, data.LogStartOffset);
        var expected = Batch(2);
        Assert.Equal(expected.Length, data.Records!.Length);
        Assert.Equal(3, System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(data.Records));
        // Apart from base offset and leader epoch (outside the CRC), the bytes are the producer's.
        Assert.Equal(expected.AsSpan(16).ToArray(), data.Records.AsSpan(16).ToArray());

        var atEnd = await FetchAsync(connection, Fetch("raw", 0, 5));
        Assert.Equal(ErrorCode.None, atEnd.ErrorCode);
        Assert.NotNull(atEnd.Records);
        Assert.Empty(atEnd.Records);
        Assert.Equal(ErrorCode.OffsetOutOfRange, (await FetchAsync(connection, Fetch("raw", 0, 6))).ErrorCode);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await FetchAsync(connection, Fetch("raw", 7, 0))).ErrorCode);
    }

    [Fact]
    public async Task A_corrupted_batch_is_CORRUPT_MESSAGE_and_nothing_is_appended()
    {
        await using var sandbox = await StartWithTopicAsync(1, 1);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var batch = Batch(2);
        batch[^1] ^= 0xFF;
        Assert.Equal(ErrorCode.CorruptMessage, (await ProduceAsync(connection, Produce("raw", 0, batch))).ErrorCode);
        Assert.Equal(ErrorCode.InvalidRecord, (await ProduceAsync(connection, Produce("raw", 0, []))).ErrorCode);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await ProduceAsync(connection, Produce("nowhere", 0, Batch(1)))).ErrorCode);
        Assert.Equal(ErrorCode.InvalidRequiredAcks, (await ProduceAsync(connection, Produce("raw", 0, Batch(1), acks: 2))).ErrorCode);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(0, sandbox.State.FindPartition("raw", 0)!.HighWatermark);
        }
    }

    [Fact]
    public async Task The_wrong_broker_answers_NOT_LEADER_OR_FOLLOWER()
    {
        await using var sandbox = await StartWithTopicAsync(3, 1);
        int leader;
        lock (sandbox.State.Sync)
        {
            leader = sandbox.State.FindPartition("raw", 0)!.LeaderId;
        }
        var follower = (leader + 1) % 3;
        await using var wrong = await RawKafkaConnection.ConnectAsync(AddressOf(sandbox, follower));
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await ProduceAsync(wrong, Produce("raw", 0, Batch(1)))).ErrorCode);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await FetchAsync(wrong, Fetch("raw", 0, 0))).ErrorCode);
        await using var right = await RawKafkaConnection.ConnectAsync(AddressOf(sandbox, leader));
        Assert.Equal(ErrorCode.None, (await ProduceAsync(right, Produce("raw", 0, Batch(1)))).ErrorCode);
    }

    [Fact]
    public async Task Acks_zero_gets_no_response_but_the_records_are_stored()
    {
        await using var sandbox = await StartWithTopicAsync(1, 1);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var writer = new KafkaWriter();
        new RequestHeader(ApiKey.Produce, ProduceVersion, 41, "raw-test").Write(writer, flexible: true);
        Produce("raw", 0, Batch(4), acks: 0).Write(writer, ProduceVersion);
        await connection.SendFrameAsync(writer.ToArray());
        // The next frame on the wire must be the answer to the next request, not to the produce.
        var data = await FetchAsync(connection, Fetch("raw", 0, 0));
        Assert.Equal(4, data.HighWatermark);
    }

    [Fact]
    public async Task A_retried_idempotent_batch_is_stored_once()
    {
        await using var sandbox = await StartWithTopicAsync(1, 1);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var id = await connection.RoundTripAsync<InitProducerIdRequest, InitProducerIdResponse>(ApiKey.InitProducerId, 4, new InitProducerIdRequest(null, 60000, -1, -1), flexible: true);
        Assert.Equal(ErrorCode.None, id.ErrorCode);
        Assert.True(id.ProducerId >= 0);
        var batch = Batch(3, producerId: id.ProducerId, baseSequence: 0);
        var first = await ProduceAsync(connection, Produce("raw", 0, batch));
        var retry = await ProduceAsync(connection, Produce("raw", 0, batch));
        var next = await ProduceAsync(connection, Produce("raw", 0, Batch(1, producerId: id.ProducerId, baseSequence: 3)));
        // An older in-flight batch retried after a newer one is still recognised.
        var lateRetry = await ProduceAsync(connection, Produce("raw", 0, batch));
        Assert.Equal(0, first.BaseOffset);
        Assert.Equal(0, retry.BaseOffset);
        Assert.Equal(3, next.BaseOffset);
        Assert.Equal(0, lateRetry.BaseOffset);
        lock (sandbox.State.Sync)
        {
            Assert.Equal(4, sandbox.State.FindPartition("raw", 0)!.HighWatermark);
        }
    }

    [Fact]
    public async Task An_empty_long_poll_waits_max_wait_and_an_incremental_session_is_refused()
    {
        await using var sandbox = await StartWithTopicAsync(1, 1);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var clock = Stopwatch.StartNew();
        var data = await FetchAsync(connection, Fetch("raw", 0, 0, maxWaitMs: 400));
        Assert.True(clock.ElapsedMilliseconds >= 380, $"returned after {clock.ElapsedMilliseconds} ms");
        Assert.Empty(data.Records!);

        var refused = await connection.RoundTripAsync<FetchRequest, FetchResponse>(ApiKey.Fetch, FetchVersion, Fetch("raw", 0, 0, sessionId: 12345), flexible: true);
        Assert.Equal((ErrorCode)70, refused.ErrorCode);
    }

    [Fact]
    public async Task A_parked_fetch_returns_as_soon_as_a_produce_arrives()
    {
        await using var sandbox = await StartWithTopicAsync(1, 1);
        await using var fetcher = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await using var producer = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var pending = FetchAsync(fetcher, Fetch("raw", 0, 0, maxWaitMs: 10_000));
        // Still parked after 300 ms: it is really waiting, not answering empty.
        Assert.NotSame(pending, await Task.WhenAny(pending, Task.Delay(300)));
        var clock = Stopwatch.StartNew();
        await ProduceAsync(producer, Produce("raw", 0, Batch(1)));
        var data = await pending;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"woke {clock.ElapsedMilliseconds} ms after the produce");
        Assert.NotEmpty(data.Records!);
    }

    [Fact]
    public async Task ListOffsets_answers_every_kind_of_query_at_v0_v1_and_v7()
    {
        // Kafka 4 removed ListOffsets v0 (KIP-896): a 3.9 broker still has it.
        await using var sandbox = await StartWithTopicAsync(1, 1, kafkaVersion: "3.9");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        // Timestamps 1000, 1010, 1020 then 1005, 1015: the max (1020) is at offset 2.
        await ProduceAsync(connection, Produce("raw", 0, Batch(3, firstTimestamp: 1000)));
        await ProduceAsync(connection, Produce("raw", 0, Batch(2, firstTimestamp: 1005)));

        async Task<ListOffsetsPartitionResponse> Query(short version, long timestamp)
        {
            var request = new ListOffsetsRequest(-1, 0, [new ListOffsetsTopic("raw", [new ListOffsetsPartition(0, -1, timestamp, 5)])]);
            var response = await connection.RoundTripAsync<ListOffsetsRequest, ListOffsetsResponse>(ApiKey.ListOffsets, version, request, flexible: version >= 6);
            return Assert.Single(Assert.Single(response.Topics).Partitions);
        }
        Assert.Equal(5, (await Query(7, -1)).Offset);
        Assert.Equal(0, (await Query(7, -2)).Offset);
        Assert.Equal((2L, 1020L), ((await Query(7, -3)).Offset, (await Query(7, -3)).Timestamp));
        Assert.Equal((1L, 1010L), ((await Query(7, 1001)).Offset, (await Query(7, 1001)).Timestamp));
        Assert.Equal((2L, 1020L), ((await Query(1, 1016)).Offset, (await Query(1, 1016)).Timestamp));
        Assert.Equal(-1, (await Query(7, 5000)).Offset);
        Assert.Equal([5L], (await Query(0, -1)).OldStyleOffsets);
        Assert.Equal([0L], (await Query(0, -2)).OldStyleOffsets);
    }

    [Fact]
    public async Task DescribeLogDirs_reports_the_stored_bytes_of_each_replica()
    {
        await using var sandbox = await StartWithTopicAsync(1, 2);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var batch = Batch(3);
        await ProduceAsync(connection, Produce("raw", 1, batch));
        await ProduceAsync(connection, Produce("raw", 1, batch));
        var response = await connection.RoundTripAsync<DescribeLogDirsRequest, DescribeLogDirsResponse>(ApiKey.DescribeLogDirs, 4, new DescribeLogDirsRequest(null), flexible: true);
        var dir = Assert.Single(response.Results);
        var topic = Assert.Single(dir.Topics);
        Assert.Equal("raw", topic.Name);
        Assert.Equal([(0, 0L), (1, 2L * batch.Length)], topic.Partitions.Select(p => (p.PartitionIndex, p.PartitionSize)));
    }
}
