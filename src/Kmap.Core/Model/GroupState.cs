namespace Kmap.Core.Model;

/// <summary>Group states as Kafka's tools print them.</summary>
public static class GroupState
{
    public const string Empty = "Empty";
    public const string Dead = "Dead";
    public const string Stable = "Stable";
    public const string Unknown = "Unknown";

    /// <summary>Consumer (KIP-848) and streams groups: the coordinator is computing or handing out a new assignment.</summary>
    public const string Assigning = "Assigning";
    public const string Reconciling = "Reconciling";

    /// <summary>A streams group whose topology is not ready (source topics missing, not initialized).</summary>
    public const string NotReady = "NotReady";

    /// <summary>Only Empty and Dead (including a group that does not exist) accept an offset reset.</summary>
    public static bool AcceptsReset(string? state) =>
        state is null || string.Equals(state, Empty, StringComparison.OrdinalIgnoreCase)
                      || string.Equals(state, Dead, StringComparison.OrdinalIgnoreCase);
}
