namespace Kmap.Sandbox.Groups;

/// <summary>The states of a classic group, as Kafka's ClassicGroupState names them on the wire.</summary>
public enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}
