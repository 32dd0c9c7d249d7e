namespace Kmap.Sandbox.Groups;

/// <summary>One protocol a member offers in JoinGroup (e.g. "range" with its subscription bytes).</summary>
public sealed record MemberProtocol(string Name, byte[] Metadata);
