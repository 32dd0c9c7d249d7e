namespace Kmap.Core.Restore;

/// <summary>Which groups and partitions to reset, and how. Topics is ignored with FromFile (the file names them).</summary>
public sealed record ResetRequest(IReadOnlyList<string> Groups, bool AllGroups, ResetStrategy Strategy)
{
    public IReadOnlyList<TopicSelection> Topics { get; init; } = [];
    public bool AllTopics { get; init; }
}
