using Kmap.Core.Cluster;
using Kmap.Kafka.Wire;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Kafka.Tests.ClusterMap;

/// <summary>kmap's hand-written DescribeLogDirs v1 against the sandbox's independent codec: each checks the other.</summary>
public class DescribeLogDirsWireTests
{
    private static readonly WireBroker Broker = new(1, "b1", 9092);

    private static byte[] Encode(IReadOnlyDictionary<string, IReadOnlyList<int>>? topics)
    {
        var writer = new WireWriter();
        WireDescribeLogDirs.WriteRequest(writer, topics);
        return writer.Written.ToArray();
    }

    [Fact]
    public void Kmap_asks_for_v1_and_for_v0_on_a_broker_that_has_no_v1()
    {
        short[] offered = [4, 1, 0, -1];
        short[] expected = [1, 1, 0, -1];

        Assert.Equal(expected, offered.Select(WireDescribeLogDirs.VersionFor));
    }

    [Fact]
    public void The_sandbox_reads_the_request_kmap_writes()
    {
        var request = Encode(new Dictionary<string, IReadOnlyList<int>> { ["orders"] = [0, 2], ["ünïcode.t"] = [1] });
        var all = Encode(null);

        var read = DescribeLogDirsRequest.Read(new KafkaReader(request), 1);

        Assert.Equal([("orders", new[] { 0, 2 }), ("ünïcode.t", new[] { 1 })], read.Topics!.Select(t => (t.Topic, t.Partitions.ToArray())));
        Assert.Null(DescribeLogDirsRequest.Read(new KafkaReader(all), 1).Topics);
    }

    [Fact]
    public void Kmap_reads_the_response_the_sandbox_writes()
    {
        var response = new DescribeLogDirsResponse(0, ErrorCode.None,
        [
            new DescribeLogDirsResult(ErrorCode.None, "/data/a", [new DescribeLogDirsTopic("orders", [new(0, 1234, 0, false), new(2, long.MaxValue, 5, true)])], -1, -1),
            new DescribeLogDirsResult(ErrorCode.None, "/data/b", [new DescribeLogDirsTopic("audit", [new(7, 0, 0, false)])], -1, -1),
        ]);
        var writer = new KafkaWriter();
        response.Write(writer, 1);

        var sizes = WireDescribeLogDirs.ReadResponse(new WireReader(writer.ToArray()), Broker);

        Assert.Equal([new ReplicaSize("orders", 0, 1234, false), new ReplicaSize("orders", 2, long.MaxValue, true), new ReplicaSize("audit", 7, 0, false)], sizes);
    }

    [Fact]
    public void A_log_dir_error_is_an_error_and_a_lying_count_is_refused_before_allocating()
    {
        var failed = new KafkaWriter();
        new DescribeLogDirsResponse(0, ErrorCode.None, [new DescribeLogDirsResult(ErrorCode.KafkaStorageError, "/data/a", [], -1, -1)]).Write(failed, 1);
        // throttle 0, then an array count of two billion with nothing after it.
        byte[] lying = [0, 0, 0, 0, 0x77, 0x35, 0x94, 0x00];

        var error = Assert.Throws<ClusterException>(() => WireDescribeLogDirs.ReadResponse(new WireReader(failed.ToArray()), Broker));
        Assert.Contains("/data/a: error 56", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => WireDescribeLogDirs.ReadResponse(new WireReader(lying), Broker));
    }
}
