namespace Kmap.Sandbox.Protocol;

/// <summary>A frame that cannot be decoded. The connection that sent it is closed; the broker keeps serving others.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }
    public ProtocolException() { }
    public ProtocolException(string message, Exception inner) : base(message, inner) { }
}
