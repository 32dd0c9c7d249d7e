using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Security;

/// <summary>SCRAM-SHA-256/512 (RFC 5802/7677), server side.</summary>
public static class ScramServer
{
    public static SaslServer.Step Evaluate(ClusterState cluster, ConnectionState connection, byte[] token)
    {
        _ = cluster;
        _ = connection;
        _ = token;
        return new SaslServer.Step([], false, "SCRAM is not available in this build of the sandbox yet");
    }
}
