using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Groups;

/// <summary>An error code with the message Kafka sends beside it in the newer group APIs.</summary>
public readonly record struct ErrorCodeAndMessage(ErrorCode Code, string? Message)
{
    public static ErrorCodeAndMessage None => new(ErrorCode.None, null);

    public static ErrorCodeAndMessage NotFound(string groupId) => new(ErrorCode.GroupIdNotFound, $"Group {groupId} not found.");

    /// <summary>Kafka's answer when a group exists with another type, e.g. "Group g is not a share group."</summary>
    public static ErrorCodeAndMessage WrongType(string groupId, GroupType expected) =>
        new(ErrorCode.GroupIdNotFound, $"Group {groupId} is not a {expected.WireName()} group.");
}
