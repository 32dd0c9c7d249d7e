namespace Kmap.Core.Cluster;

/// <summary>A cluster request failed as a whole (unreachable, unauthorized, timed out); the message says what to check.</summary>
public sealed class ClusterException : Exception
{
    public ClusterException() { }
    public ClusterException(string message) : base(message) { }
    public ClusterException(string message, Exception inner) : base(message, inner) { }
}
