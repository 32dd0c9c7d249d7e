namespace Kmap.Sandbox.Groups;

public static class GroupStateNames
{
    /// <summary>The state string Kafka sends in ListGroups and DescribeGroups.</summary>
    public static string WireName(this GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };
}
