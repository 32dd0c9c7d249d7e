namespace Kmap.Core.Model;

/// <summary>The committed offsets of one group at one moment, with what the log looked like then.</summary>
public sealed record GroupOffsets(string Group, IReadOnlyList<BackedUpOffset> Offsets, DateTimeOffset Timestamp)
{
    public string? State { get; init; }
    public int? MemberCount { get; init; }

    public IEnumerable<IGrouping<string, BackedUpOffset>> ByTopic() =>
        Offsets.OrderBy(o => o.TopicPartition).GroupBy(o => o.Topic, StringComparer.Ordinal);
}
