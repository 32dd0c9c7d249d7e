namespace Kmap.Core.Cluster;

/// <summary>A cluster request failed as a whole (unreachable, unauthorized, timed out); the message says what to check.</summary>
public sealed class ClusterException : Exception
{
    public ClusterException() { }
    public ClusterException(string message) : base(message) { }
    public ClusterException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// Whether the same request may succeed later (coordinator moving or loading, a timeout, a cut connection):
    /// set by clients that know the error's code; null when only the message tells (<see cref="Restore.ResetExecutor.IsRetriable"/>).
    /// </summary>
    public bool? Retriable { get; init; }
}
