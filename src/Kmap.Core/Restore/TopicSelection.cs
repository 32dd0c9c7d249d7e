using System.Globalization;

namespace Kmap.Core.Restore;

/// <summary>One --topic argument: `topic` (all partitions) or `topic:0,2` (those partitions).</summary>
public sealed record TopicSelection(string Topic, IReadOnlyList<int>? Partitions)
{
    public static TopicSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return new TopicSelection(text, null);
        }
        var partitions = text[(colon + 1)..]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FormatException($"--topic {text}: '{p}' is not a partition number (use topic or topic:0,1,2)"))
            .ToList();
        if (partitions.Count == 0 || colon == 0)
        {
            throw new FormatException($"--topic {text}: use topic or topic:0,1,2");
        }
        return new TopicSelection(text[..colon], partitions);
    }
}
