namespace Kmap.Sandbox.Faults;

/// <summary>
/// The faults a sandbox injects. Written as text by `kmap sandbox --faults SPEC` (see <see cref="FaultSpecParser"/>
/// and docs/sandbox.md), or built directly by tests. Random choices are drawn from <see cref="Seed"/>, so the same
/// spec and the same requests give the same faults.
/// </summary>
public sealed record FaultSpec
{
    public static FaultSpec None { get; } = new();

    public int Seed { get; init; }
    public DropRule? Drop { get; init; }
    public IReadOnlyList<ErrorRule> Errors { get; init; } = [];
    public IReadOnlyList<StallRule> Stalls { get; init; } = [];

    /// <summary>Brokers stopped and restarted on a timetable (the CLI's way to stop a broker; tests call <see cref="SandboxCluster.StopBrokerAsync"/>).</summary>
    public IReadOnlyList<BrokerOutage> Outages { get; init; } = [];

    /// <summary>Move every group's coordinator to the next broker this often; null never moves them on a timer.</summary>
    public TimeSpan? MoveCoordinatorsEvery { get; init; }

    /// <summary>
    /// Answer OffsetFetch for a group without committed offsets (unknown, or never committed) with GROUP_ID_NOT_FOUND,
    /// as some Kafka-protocol brokers do (Kafka answers no error and no offsets): `no-offsets=GROUP_ID_NOT_FOUND`.
    /// </summary>
    public bool GroupIdNotFoundWithoutOffsets { get; init; }

    /// <summary>True when no request is touched (timetabled outages and moves do not count: they act on brokers).</summary>
    public bool AffectsNoRequest => Drop is null && Errors.Count == 0 && Stalls.Count == 0 && !GroupIdNotFoundWithoutOffsets;

    public static FaultSpec Parse(string text) => FaultSpecParser.Parse(text);
}
