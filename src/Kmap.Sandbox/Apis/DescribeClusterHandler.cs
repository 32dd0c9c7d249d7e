using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>DescribeCluster v0–2 (flexible in every version; v1 adds the endpoint type; v2 asks for fenced brokers and marks them, KIP-1073).</summary>
public sealed record DescribeClusterRequest(bool IncludeClusterAuthorizedOperations, sbyte EndpointType) : IKafkaMessage<DescribeClusterRequest>
{
    public const sbyte Brokers = 1;

    /// <summary>v2+: list fenced brokers too. The sandbox fences none, so the answer is the same.</summary>
    public bool IncludeFencedBrokers { get; init; }

    public static DescribeClusterRequest Read(KafkaReader reader, short version)
    {
        var includeOps = reader.Bool();
        var endpointType = version >= 1 ? reader.Int8() : Brokers;
        var includeFenced = version >= 2 && reader.Bool();
        reader.TaggedFields();
        return new DescribeClusterRequest(includeOps, endpointType) { IncludeFencedBrokers = includeFenced };
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Bool(IncludeClusterAuthorizedOperations);
        if (version >= 1)
        {
            writer.Int8(EndpointType);
        }
        if (version >= 2)
        {
            writer.Bool(IncludeFencedBrokers);
        }
        writer.TaggedFields();
    }
}

public sealed record DescribeClusterResponse(
    int ThrottleTimeMs, ErrorCode ErrorCode, string? ErrorMessage, sbyte EndpointType, string ClusterId, int ControllerId,
    IReadOnlyList<DescribeClusterBroker> Brokers, int ClusterAuthorizedOperations) : IKafkaMessage<DescribeClusterResponse>
{
    public static DescribeClusterResponse Read(KafkaReader reader, short version)
    {
        var throttle = reader.Int32();
        var error = (ErrorCode)reader.Int16();
        var message = reader.NullableString();
        var endpointType = version >= 1 ? reader.Int8() : DescribeClusterRequest.Brokers;
        var clusterId = reader.String();
        var controller = reader.Int32();
        var brokers = reader.Array(b =>
        {
            var broker = new DescribeClusterBroker(b.Int32(), b.String(), b.Int32(), b.NullableString());
            if (version >= 2)
            {
                broker = broker with { IsFenced = b.Bool() };
            }
            b.TaggedFields();
            return broker;
        });
        var ops = reader.Int32();
        reader.TaggedFields();
        return new DescribeClusterResponse(throttle, error, message, endpointType, clusterId, controller, brokers, ops);
    }

    public void Write(KafkaWriter writer, short version)
    {
        writer.Int32(ThrottleTimeMs);
        writer.Int16((short)ErrorCode);
        writer.NullableString(ErrorMessage);
        if (version >= 1)
        {
            writer.Int8(EndpointType);
        }
        writer.String(ClusterId);
        writer.Int32(ControllerId);
        writer.Array(Brokers, (b, broker) =>
        {
            b.Int32(broker.BrokerId);
            b.String(broker.Host);
            b.Int32(broker.Port);
            b.NullableString(broker.Rack);
            if (version >= 2)
            {
                b.Bool(broker.IsFenced);
            }
            b.TaggedFields();
        });
        writer.Int32(ClusterAuthorizedOperations);
        writer.TaggedFields();
    }
}

public sealed record DescribeClusterBroker(int BrokerId, string Host, int Port, string? Rack)
{
    /// <summary>v2+: the broker is fenced (registered but not serving); never so in the sandbox.</summary>
    public bool IsFenced { get; init; }
}

/// <summary>The brokers, cluster id and controller. Asking a broker for controller endpoints (type 2) is UNSUPPORTED_ENDPOINT_TYPE, as in Kafka.</summary>
public sealed class DescribeClusterHandler : ApiHandler<DescribeClusterRequest, DescribeClusterResponse>
{
    private const ErrorCode UnsupportedEndpointType = (ErrorCode)119;

    /// <summary>"Authorized operations not requested", Kafka's Integer.MIN_VALUE marker.</summary>
    private const int OperationsNotRequested = int.MinValue;

    public override ApiKey Key => ApiKey.DescribeCluster;
    public override short MinVersion => 0;
    public override short MaxVersion => 2;
    public override short FirstFlexibleVersion => 0;

    protected override ValueTask<DescribeClusterResponse?> HandleAsync(RequestContext context, DescribeClusterRequest request, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        if (request.EndpointType != DescribeClusterRequest.Brokers)
        {
            return ValueTask.FromResult<DescribeClusterResponse?>(new DescribeClusterResponse(0, UnsupportedEndpointType,
                $"The request was sent to a broker, which only serves endpoint type {DescribeClusterRequest.Brokers}", request.EndpointType, cluster.ClusterId, -1, [], OperationsNotRequested));
        }
        lock (cluster.Sync)
        {
            var brokers = cluster.Brokers.Select(b => new DescribeClusterBroker(b.Id, b.Host, b.Port, b.Rack)).ToList();
            // The sandbox has no ACLs: a client asking for authorized operations is allowed everything (bits 2..12 of Kafka's AclOperation).
            var ops = request.IncludeClusterAuthorizedOperations ? 0b1_1111_1111_1100 : OperationsNotRequested;
            return ValueTask.FromResult<DescribeClusterResponse?>(new DescribeClusterResponse(0, ErrorCode.None, null, request.EndpointType, cluster.ClusterId, cluster.ControllerId, brokers, ops));
        }
    }
}
