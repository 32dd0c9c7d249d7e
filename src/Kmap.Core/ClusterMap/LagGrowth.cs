namespace Kmap.Core.ClusterMap;

/// <summary>
/// How a group's lag moved between two samples: a second sample taken by the same run
/// (`--lag-sample-interval`) or the previous cluster JSON (`--previous`). Produced is what the log ends
/// advanced on the group's partitions, consumed what its committed offsets advanced.
/// </summary>
public sealed record LagGrowth(string Basis, DateTimeOffset From, DateTimeOffset To, long LagBefore, long LagAfter, long Produced, long Consumed)
{
    /// <summary>The second sample was taken by the same run.</summary>
    public const string SampleBasis = "sample";

    /// <summary>The first sample is a previous cluster JSON.</summary>
    public const string PreviousBasis = "previous";

    public double IntervalSeconds => Math.Round((To - From).TotalSeconds, 3);

    public long Growth => LagAfter - LagBefore;

    public double GrowthPerSecond => PerSecond(Growth);

    public double ProducedPerSecond => PerSecond(Produced);

    public double ConsumedPerSecond => PerSecond(Consumed);

    /// <summary>
    /// The lag grew and the group is not keeping up: it consumed nothing, or less than half of what was
    /// produced. A consumer that commits every few seconds shows a little lag that comes and goes; that is
    /// not growth.
    /// </summary>
    public bool IsGrowing => Growth > 0 && (Consumed == 0 || Growth > Consumed);

    private double PerSecond(long count) => (To - From).TotalSeconds is var seconds and > 0 ? Math.Round(count / seconds, 2) : 0;

    /// <summary>The growth of one group between two pictures of it; partitions in only one of them count for lag only.</summary>
    public static LagGrowth Between(string basis, ConsumerGroupInfo before, DateTimeOffset from, ConsumerGroupInfo after, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var earlier = before.Offsets.ToDictionary(o => (o.Topic, o.Partition));
        long produced = 0, consumed = 0;
        foreach (var now in after.Offsets)
        {
            if (!earlier.TryGetValue((now.Topic, now.Partition), out var then))
            {
                continue;
            }
            // A reset backwards or a recreated topic is not negative traffic.
            consumed += Math.Max(0, now.Offset - then.Offset);
            if (now.LogEndOffset is { } end && then.LogEndOffset is { } previousEnd)
            {
                produced += Math.Max(0, end - previousEnd);
            }
        }
        return new LagGrowth(basis, from, to, before.TotalLag, after.TotalLag, produced, consumed);
    }

    /// <summary>
    /// The map with each group's growth since the earlier picture (a second sample's groups or a previous
    /// map's); groups absent from either picture get none.
    /// </summary>
    public static ClusterMap Apply(ClusterMap map, string basis, IReadOnlyList<ConsumerGroupInfo> before, DateTimeOffset from, IReadOnlyList<ConsumerGroupInfo> after, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var earlier = before.ToDictionary(g => g.Group, StringComparer.Ordinal);
        var later = after.ToDictionary(g => g.Group, StringComparer.Ordinal);
        return map with
        {
            ConsumerGroups = map.ConsumerGroups.Select(g =>
                earlier.TryGetValue(g.Group, out var b) && later.TryGetValue(g.Group, out var a) && (b.Offsets.Count > 0 || a.Offsets.Count > 0)
                    ? g with { LagGrowth = Between(basis, b, from, a, to) }
                    : g).ToList(),
        };
    }

    /// <summary>The map compared with a previous cluster JSON of the same cluster.</summary>
    public static ClusterMap SincePrevious(ClusterMap map, ClusterMap previous)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(previous);
        return Apply(map, PreviousBasis, previous.ConsumerGroups, previous.OffsetsReadAt ?? previous.Timestamp, map.ConsumerGroups, map.OffsetsReadAt ?? map.Timestamp);
    }
}
