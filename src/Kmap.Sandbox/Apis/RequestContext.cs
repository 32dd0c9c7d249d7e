using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Apis;

/// <summary>What a handler knows about the request: which broker received it, from whom, on which connection.</summary>
public sealed record RequestContext(
    RequestHeader Header,
    Broker Broker,
    ClusterState Cluster,
    string ClientHost,
    ConnectionState Connection,
    ApiRegistry Apis)
{
    public short Version => Header.ApiVersion;
    public string ClientId => Header.ClientId ?? "";
}
