namespace Kmap.Sandbox.Groups;

/// <summary>What a SyncGroup asks of the coordinator; only the leader sends assignments.</summary>
public sealed record SyncGroupCall(
    string GroupId,
    int GenerationId,
    string MemberId,
    string? GroupInstanceId,
    string? ProtocolType,
    string? ProtocolName,
    IReadOnlyList<KeyValuePair<string, byte[]>> Assignments);
