namespace Kmap.Sandbox.Faults;

/// <summary>Thrown by the drop rule to close a connection without answering its request.</summary>
public sealed class ConnectionDroppedException : Exception
{
    public ConnectionDroppedException(string message) : base(message) { }
    public ConnectionDroppedException() { }
    public ConnectionDroppedException(string message, Exception inner) : base(message, inner) { }
}
