using CsCheck;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>Write → read → write gives identical bytes for every request and response of the log and admin APIs, at every served version.</summary>
public class LogApiRoundTripTests
{
    private static readonly Gen<string> Name = Gen.String.AlphaNumeric;
    private static readonly Gen<string?> NullableName = Gen.String.AlphaNumeric.Null();
    private static readonly Gen<byte[]?> NullableBytes = Gen.Byte.Array[0, 40].Null();
    private static readonly Gen<ErrorCode> Error = Gen.Short[-1, 120].Select(e => (ErrorCode)e);
    private static readonly Gen<List<int>> Ints = Gen.Int.List[0, 4];

    private static void Check<T>(IApiHandler handler, Gen<T> messages) where T : IKafkaMessage<T> =>
        Gen.Select(messages, Gen.Short[handler.MinVersion, handler.MaxVersion])
            .Sample((message, version) => RoundTrip.AssertStable(message, version, version >= handler.FirstFlexibleVersion), iter: 300);

    [Fact]
    public void Produce()
    {
        var request = Gen.Select(NullableName, Gen.Short, Gen.Int,
            Gen.Select(Name, Gen.Select(Gen.Int, NullableBytes, (i, r) => new ProducePartitionData(i, r)).List[0, 3], (n, p) => new ProduceTopicData(n, p)).List[0, 3],
            (t, a, to, topics) => new ProduceRequest(t, a, to, topics));
        var partition = Gen.Select(Gen.Int, Error, Gen.Long, Gen.Long, Gen.Long,
            Gen.Select(Gen.Int, NullableName, (i, m) => new ProduceRecordError(i, m)).List[0, 2], NullableName,
            (i, e, b, a, l, r, m) => new ProducePartitionResponse(i, e, b, a, l, r, m));
        var response = Gen.Select(Gen.Select(Name, partition.List[0, 3], (n, p) => new ProduceTopicResponse(n, p)).List[0, 3], Gen.Int,
            (r, t) => new ProduceResponse(r, t));
        Check(new ProduceHandler(), request);
        Check(new ProduceHandler(), response);
    }

    [Fact]
    public void Fetch()
    {
        var partition = Gen.Select(Gen.Int, Gen.Int, Gen.Long, Gen.Int, Gen.Long, Gen.Int, (p, e, o, l, s, m) => new FetchPartition(p, e, o, l, s, m));
        var topic = Gen.Select(NullableName, Gen.Guid, partition.List[0, 3], (n, id, p) => new FetchTopic(n, id, p));
        var forgotten = Gen.Select(NullableName, Gen.Guid, Ints, (n, id, p) => new FetchForgottenTopic(n, id, p));
        var request = Gen.Select(Gen.Select(Gen.Int, Gen.Int, Gen.Int, Gen.Int, Gen.SByte, Gen.Int, Gen.Int), topic.List[0, 3], forgotten.List[0, 2], Name,
            (h, t, f, rack) => new FetchRequest(h.Item1, h.Item2, h.Item3, h.Item4, h.Item5, h.Item6, h.Item7, t, f, rack));
        var aborted = Gen.Select(Gen.Long, Gen.Long, (p, o) => new FetchAbortedTransaction(p, o)).List[0, 2].Null();
        var data = Gen.Select(Gen.Select(Gen.Int, Error, Gen.Long, Gen.Long, Gen.Long), aborted, Gen.Int, NullableBytes,
            (h, a, pr, r) => new FetchPartitionData(h.Item1, h.Item2, h.Item3, h.Item4, h.Item5, a, pr, r));
        var response = Gen.Select(Gen.Int, Error, Gen.Int,
            Gen.Select(NullableName, Gen.Guid, data.List[0, 3], (n, id, p) => new FetchTopicResponse(n, id, p)).List[0, 3],
            (t, e, s, r) => new FetchResponse(t, e, s, r));
        Check(new FetchHandler(), request);
        Check(new FetchHandler(), response);
    }

    [Fact]
    public void ListOffsets()
    {
        var request = Gen.Select(Gen.Int, Gen.SByte,
            Gen.Select(Name, Gen.Select(Gen.Int, Gen.Int, Gen.Long, Gen.Int, (p, e, t, m) => new ListOffsetsPartition(p, e, t, m)).List[0, 3],
                (n, p) => new ListOffsetsTopic(n, p)).List[0, 3],
            (r, i, t) => new ListOffsetsRequest(r, i, t));
        var partition = Gen.Select(Gen.Int, Error, Gen.Long.List[0, 3], Gen.Long, Gen.Long, Gen.Int,
            (p, e, o, t, off, ep) => new ListOffsetsPartitionResponse(p, e, o, t, off, ep));
        var response = Gen.Select(Gen.Int, Gen.Select(Name, partition.List[0, 3], (n, p) => new ListOffsetsTopicResponse(n, p)).List[0, 3],
            (t, r) => new ListOffsetsResponse(t, r));
        Check(new ListOffsetsHandler(), request);
        Check(new ListOffsetsHandler(), response);
    }

    [Fact]
    public void InitProducerId()
    {
        Check(new InitProducerIdHandler(), Gen.Select(NullableName, Gen.Int, Gen.Long, Gen.Short, (t, to, p, e) => new InitProducerIdRequest(t, to, p, e)));
        Check(new InitProducerIdHandler(), Gen.Select(Gen.Int, Error, Gen.Long, Gen.Short, (t, e, p, ep) => new InitProducerIdResponse(t, e, p, ep)));
    }

    [Fact]
    public void CreateTopics()
    {
        var topic = Gen.Select(Name, Gen.Int, Gen.Short,
            Gen.Select(Gen.Int, Ints, (p, b) => new CreatableReplicaAssignment(p, b)).List[0, 3],
            Gen.Select(Name, NullableName, (n, v) => new CreatableTopicConfig(n, v)).List[0, 3],
            (n, p, r, a, c) => new CreatableTopic(n, p, r, a, c));
        Check(new CreateTopicsHandler(), Gen.Select(topic.List[0, 3], Gen.Int, Gen.Bool, (t, to, v) => new CreateTopicsRequest(t, to, v)));
        var config = Gen.Select(Name, NullableName, Gen.Bool, Gen.SByte, Gen.Bool, (n, v, r, s, x) => new CreatableTopicConfigs(n, v, r, s, x));
        var result = Gen.Select(Name, Gen.Guid, Error, NullableName, Gen.Int, Gen.Short, config.List[0, 3].Null(),
            (n, id, e, m, p, r, c) => new CreatableTopicResult(n, id, e, m, p, r, c));
        Check(new CreateTopicsHandler(), Gen.Select(Gen.Int, result.List[0, 3], (t, r) => new CreateTopicsResponse(t, r)));
    }

    [Fact]
    public void DeleteTopics()
    {
        Check(new DeleteTopicsHandler(), Gen.Select(Gen.Select(NullableName, Gen.Guid, (n, id) => new DeleteTopicState(n, id)).List[0, 3], Gen.Int,
            (t, to) => new DeleteTopicsRequest(t, to)));
        Check(new DeleteTopicsHandler(), Gen.Select(Gen.Int,
            Gen.Select(NullableName, Gen.Guid, Error, NullableName, (n, id, e, m) => new DeletableTopicResult(n, id, e, m)).List[0, 3],
            (t, r) => new DeleteTopicsResponse(t, r)));
    }

    [Fact]
    public void DeleteRecords()
    {
        Check(new DeleteRecordsHandler(), Gen.Select(
            Gen.Select(Name, Gen.Select(Gen.Int, Gen.Long, (p, o) => new DeleteRecordsPartition(p, o)).List[0, 3], (n, p) => new DeleteRecordsTopic(n, p)).List[0, 3],
            Gen.Int, (t, to) => new DeleteRecordsRequest(t, to)));
        Check(new DeleteRecordsHandler(), Gen.Select(Gen.Int,
            Gen.Select(Name, Gen.Select(Gen.Int, Gen.Long, Error, (p, l, e) => new DeleteRecordsPartitionResult(p, l, e)).List[0, 3],
                (n, p) => new DeleteRecordsTopicResult(n, p)).List[0, 3],
            (t, r) => new DeleteRecordsResponse(t, r)));
    }

    [Fact]
    public void CreatePartitions()
    {
        var assignments = Gen.Int.List[0, 3].Select(l => (IReadOnlyList<int>)l).List[0, 3].Select(l => (IReadOnlyList<IReadOnlyList<int>>)l).Null();
        Check(new CreatePartitionsHandler(), Gen.Select(
            Gen.Select(Name, Gen.Int, assignments, (n, c, a) => new CreatePartitionsTopic(n, c, a)).List[0, 3], Gen.Int, Gen.Bool,
            (t, to, v) => new CreatePartitionsRequest(t, to, v)));
        Check(new CreatePartitionsHandler(), Gen.Select(Gen.Int,
            Gen.Select(Name, Error, NullableName, (n, e, m) => new CreatePartitionsTopicResult(n, e, m)).List[0, 3],
            (t, r) => new CreatePartitionsResponse(t, r)));
    }

    [Fact]
    public void DescribeConfigs()
    {
        Check(new DescribeConfigsHandler(), Gen.Select(
            Gen.Select(Gen.SByte, Name, Name.List[0, 3].Null(), (t, n, k) => new DescribeConfigsResource(t, n, k)).List[0, 3], Gen.Bool, Gen.Bool,
            (r, s, d) => new DescribeConfigsRequest(r, s, d)));
        var synonym = Gen.Select(Name, NullableName, Gen.SByte, (n, v, s) => new DescribeConfigsSynonym(n, v, s));
        var entry = Gen.Select(Gen.Select(Name, NullableName, Gen.Bool, Gen.Bool, Gen.SByte, Gen.Bool), synonym.List[0, 2], Gen.SByte, NullableName,
            (h, s, t, d) => new DescribeConfigsEntry(h.Item1, h.Item2, h.Item3, h.Item4, h.Item5, h.Item6, s, t, d));
        var result = Gen.Select(Error, NullableName, Gen.SByte, Name, entry.List[0, 3], (e, m, t, n, c) => new DescribeConfigsResult(e, m, t, n, c));
        Check(new DescribeConfigsHandler(), Gen.Select(Gen.Int, result.List[0, 3], (t, r) => new DescribeConfigsResponse(t, r)));
    }

    private static readonly Gen<List<AlterConfigsResourceResponse>> AlterResponses =
        Gen.Select(Error, NullableName, Gen.SByte, Name, (e, m, t, n) => new AlterConfigsResourceResponse(e, m, t, n)).List[0, 3];

    [Fact]
    public void AlterConfigs()
    {
        Check(new AlterConfigsHandler(), Gen.Select(
            Gen.Select(Gen.SByte, Name, Gen.Select(Name, NullableName, (n, v) => new AlterableConfig(n, v)).List[0, 3], (t, n, c) => new AlterConfigsResource(t, n, c)).List[0, 3],
            Gen.Bool, (r, v) => new AlterConfigsRequest(r, v)));
        Check(new AlterConfigsHandler(), Gen.Select(Gen.Int, AlterResponses, (t, r) => new AlterConfigsResponse(t, r)));
    }

    [Fact]
    public void IncrementalAlterConfigs()
    {
        var config = Gen.Select(Name, Gen.SByte, NullableName, (n, o, v) => new IncrementalAlterableConfig(n, o, v));
        Check(new IncrementalAlterConfigsHandler(), Gen.Select(
            Gen.Select(Gen.SByte, Name, config.List[0, 3], (t, n, c) => new IncrementalAlterConfigsResource(t, n, c)).List[0, 3],
            Gen.Bool, (r, v) => new IncrementalAlterConfigsRequest(r, v)));
        Check(new IncrementalAlterConfigsHandler(), Gen.Select(Gen.Int, AlterResponses, (t, r) => new IncrementalAlterConfigsResponse(t, r)));
    }

    [Fact]
    public void DescribeCluster()
    {
        Check(new DescribeClusterHandler(), Gen.Select(Gen.Bool, Gen.SByte, (o, e) => new DescribeClusterRequest(o, e)));
        var broker = Gen.Select(Gen.Int, Name, Gen.Int, NullableName, (id, h, p, r) => new DescribeClusterBroker(id, h, p, r));
        Check(new DescribeClusterHandler(), Gen.Select(Gen.Select(Gen.Int, Error, NullableName, Gen.SByte, Name, Gen.Int), broker.List[0, 3], Gen.Int,
            (h, b, o) => new DescribeClusterResponse(h.Item1, h.Item2, h.Item3, h.Item4, h.Item5, h.Item6, b, o)));
    }

    [Fact]
    public void DescribeLogDirs()
    {
        Check(new DescribeLogDirsHandler(), Gen.Select(Name, Ints, (t, p) => new DescribableLogDirTopic(t, p)).List[0, 3].Null()
            .Select(t => new DescribeLogDirsRequest(t)));
        var partition = Gen.Select(Gen.Int, Gen.Long, Gen.Long, Gen.Bool, (i, s, l, f) => new DescribeLogDirsPartition(i, s, l, f));
        var topic = Gen.Select(Name, partition.List[0, 3], (n, p) => new DescribeLogDirsTopic(n, p));
        var result = Gen.Select(Error, Name, topic.List[0, 3], Gen.Long, Gen.Long, (e, d, t, tb, ub) => new DescribeLogDirsResult(e, d, t, tb, ub));
        Check(new DescribeLogDirsHandler(), Gen.Select(Gen.Int, Error, result.List[0, 2], (t, e, r) => new DescribeLogDirsResponse(t, e, r)));
    }
}
