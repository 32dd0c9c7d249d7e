using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>The coordinator's answer to a SyncGroup: the member's assignment bytes as the leader sent them.</summary>
public sealed record SyncGroupOutcome(ErrorCode ErrorCode, string? ProtocolType, string? ProtocolName, byte[] Assignment)
{
    public static SyncGroupOutcome Failed(ErrorCode error) => new(error, null, null, []);
}
