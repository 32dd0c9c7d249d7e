using System.Globalization;
using System.Text.Json.Serialization;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The Go tool's cluster JSON (`-output` of Go kmap 1.3): counts only, no partitions, offsets or members.
/// Read so that `kmap compare`, `kmap recreate-topics --from` and `--previous` take files written before
/// the migration to kmap.
/// </summary>
internal sealed record GoClusterFile(
    string? Timestamp,
    IReadOnlyList<string>? BrokerAddresses,
    IReadOnlyList<GoBroker>? Brokers,
    IReadOnlyList<GoTopic>? Topics,
    IReadOnlyList<GoGroup>? ConsumerGroups)
{
    public ClusterMap ToClusterMap()
    {
        if (Topics is null || Brokers is null)
        {
            throw new FormatException("not a cluster JSON: brokers and topics are required");
        }
        var timestamp = Timestamp is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : DateTimeOffset.UnixEpoch;
        return new ClusterMap(
            timestamp,
            string.Join(',', BrokerAddresses ?? []),
            ClusterId: null,
            ControllerId: null,
            Brokers.Select(b => b.ToBrokerInfo()).ToList(),
            Topics.Select(t => t.ToTopicInfo()).ToList(),
            (ConsumerGroups ?? []).Select(g => g.ToGroupInfo()).ToList())
        {
            FormatVersion = GoFormatVersion,
        };
    }

    /// <summary>The format_version of a map read from the Go tool's file (which has none): counts only, no offsets.</summary>
    public const int GoFormatVersion = 0;
}

internal sealed record GoBroker(int Id, string? Address, string? Version, int Partitions, int Leaders, int UnderReplicatedPartitions)
{
    public BrokerInfo ToBrokerInfo()
    {
        var address = Address ?? "";
        var colon = address.LastIndexOf(':');
        var port = colon >= 0 && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var host = (colon >= 0 ? address[..colon] : address).Trim('[', ']');
        return new BrokerInfo(Id, host, port, Rack: null, IsController: false)
        {
            PartitionCount = Partitions,
            LeaderCount = Leaders,
            UnderReplicatedPartitions = UnderReplicatedPartitions,
            Version = Version ?? BrokerInfo.UnknownVersion,
        };
    }
}

internal sealed record GoTopic(string Name, int Partitions, int ReplicationFactor, long TotalMessages, IReadOnlyDictionary<string, string>? Configs)
{
    // The Go file cannot tell where a value came from, and the Go tool's recreation script set every
    // one of them on the topic: kmap takes them as set on the topic too (compared, carried over).
    public TopicInfo ToTopicInfo() =>
        new(Name, [], (Configs ?? new Dictionary<string, string>()).OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new TopicConfigEntry(c.Key, c.Value, ConfigSources.DynamicTopic)).ToList())
        {
            IsInternal = Name.StartsWith("__", StringComparison.Ordinal),
            Declared = new DeclaredTopicCounts(Partitions, ReplicationFactor, TotalMessages),
        };
}

internal sealed record GoGroup(string Name, IReadOnlyList<string>? Topics, int Members, string? State)
{
    public ConsumerGroupInfo ToGroupInfo() =>
        new(Name, State ?? Model.GroupState.Unknown, [], [])
        {
            Declared = new DeclaredGroupMembers(Members, Topics ?? []),
        };
}

/// <summary>Source-generated reader of the Go tool's file: no reflection at run time.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(GoClusterFile))]
internal sealed partial class GoClusterFileJsonContext : JsonSerializerContext;
