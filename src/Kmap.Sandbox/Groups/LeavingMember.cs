using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>One member named in a LeaveGroup, and (after the coordinator ran) what happened to it.</summary>
public sealed record LeavingMember(string MemberId, string? GroupInstanceId, ErrorCode ErrorCode = ErrorCode.None);
