using System.Globalization;

namespace Kmap.Sandbox.Groups;

/// <summary>
/// A group to create when a sandbox starts (`kmap sandbox --seed-group`): its type, id, offsets (share groups:
/// start offsets; other types: committed offsets) and whether it gets a member, so that every Kafka 4 group
/// type can be shown to a client without a client that speaks its heartbeat.
/// Syntax: <c>TYPE:GROUP[=TOPIC/PARTITION@OFFSET,...][+member]</c>, TYPE one of classic, consumer, share, streams.
/// </summary>
public sealed record GroupSeed(GroupType Type, string GroupId, IReadOnlyList<(string Topic, int Partition, long Offset)> Offsets, bool WithMember)
{
    public const string Syntax = "TYPE:GROUP[=TOPIC/PARTITION@OFFSET,...][+member]";

    public static GroupSeed Parse(string text)
    {
        FormatException Bad(string why) => new($"'{text}': {why} (want {Syntax}, TYPE one of classic, consumer, share, streams)");
        var spec = text.Trim();
        var withMember = spec.EndsWith("+member", StringComparison.Ordinal);
        if (withMember)
        {
            spec = spec[..^"+member".Length];
        }
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw Bad("no TYPE: before the group id");
        }
        var type = spec[..colon].ToLowerInvariant() switch
        {
            "classic" => GroupType.Classic,
            "consumer" => GroupType.Consumer,
            "share" => GroupType.Share,
            "streams" => GroupType.Streams,
            var other => throw Bad($"unknown group type '{other}'"),
        };
        var rest = spec[(colon + 1)..];
        var equals = rest.IndexOf('=', StringComparison.Ordinal);
        var groupId = equals < 0 ? rest : rest[..equals];
        if (groupId.Length == 0)
        {
            throw Bad("empty group id");
        }
        if (withMember && type == GroupType.Classic)
        {
            throw Bad("a classic group gets members from a real consumer, not from a seed");
        }
        var offsets = new List<(string, int, long)>();
        if (equals >= 0)
        {
            foreach (var entry in rest[(equals + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var slash = entry.LastIndexOf('/');
                var at = entry.LastIndexOf('@');
                if (slash <= 0 || at < slash
                    || !int.TryParse(entry[(slash + 1)..at], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                    || !long.TryParse(entry[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                {
                    throw Bad($"'{entry}' is not TOPIC/PARTITION@OFFSET");
                }
                offsets.Add((entry[..slash], partition, offset));
            }
        }
        return new GroupSeed(type, groupId, offsets, withMember);
    }
}
