namespace Kmap.Core.Model;

/// <summary>The committed offsets (a share group: its start offsets) of one group at one moment, with what the log looked like then.</summary>
public sealed record GroupOffsets(string Group, IReadOnlyList<BackedUpOffset> Offsets, DateTimeOffset Timestamp)
{
    public string? State { get; init; }
    public int? MemberCount { get; init; }

    /// <summary>classic, consumer, streams or share (<see cref="GroupType"/>); null (files without it): classic.</summary>
    public string? Type { get; init; }

    public bool IsShare => GroupType.IsShare(Type);

    public IEnumerable<IGrouping<string, BackedUpOffset>> ByTopic() =>
        Offsets.OrderBy(o => o.TopicPartition).GroupBy(o => o.Topic, StringComparer.Ordinal);
}
