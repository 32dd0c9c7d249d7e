using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>
/// The coordinator's answer to a JoinGroup; <see cref="Members"/> is filled for the leader only.
/// <see cref="SkipAssignment"/> (v9+) tells a restarted static leader of a stable group to keep the current assignment.
/// </summary>
public sealed record JoinGroupOutcome(
    ErrorCode ErrorCode,
    int GenerationId,
    string? ProtocolType,
    string? ProtocolName,
    string LeaderId,
    string MemberId,
    IReadOnlyList<JoinedMember> Members,
    bool SkipAssignment = false)
{
    public static JoinGroupOutcome Failed(ErrorCode error, string memberId) => new(error, -1, null, null, "", memberId, []);
}
