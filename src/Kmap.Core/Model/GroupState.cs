namespace Kmap.Core.Model;

/// <summary>Group states as Kafka's tools print them.</summary>
public static class GroupState
{
    public const string Empty = "Empty";
    public const string Dead = "Dead";
    public const string Stable = "Stable";
    public const string Unknown = "Unknown";

    /// <summary>Only Empty and Dead (including a group that does not exist) accept an offset reset.</summary>
    public static bool AcceptsReset(string? state) =>
        state is null || string.Equals(state, Empty, StringComparison.OrdinalIgnoreCase)
                      || string.Equals(state, Dead, StringComparison.OrdinalIgnoreCase);
}
