using System.Globalization;
using System.Xml;

namespace Kmap.Core.Restore;

/// <summary>Parses --to-datetime and --by-duration as kafka-consumer-groups.sh documents them.</summary>
public static class ResetTimeParser
{
    private static readonly string[] ZonedFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzzz",
    ];

    /// <summary>
    /// `YYYY-MM-DDTHH:mm:SS.sss` with an optional zone (`Z`, `+01:00`, `+0100`); without a zone the time is UTC,
    /// as in Kafka 3.x and later (Kafka 2.x read it in the local zone). Milliseconds are optional here.
    /// </summary>
    public static DateTimeOffset ParseDateTime(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        // +0100 → +01:00, which .NET's zone format understands.
        if (trimmed.Length > 5 && (trimmed[^5] == '+' || trimmed[^5] == '-') && trimmed[^4..].All(char.IsAsciiDigit))
        {
            trimmed = trimmed[..^2] + ":" + trimmed[^2..];
        }
        var hasZone = trimmed.EndsWith('Z') || (trimmed.Length > 6 && (trimmed[^6] == '+' || trimmed[^6] == '-') && trimmed[^3] == ':');
        if (hasZone && DateTimeOffset.TryParseExact(trimmed, ZonedFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var zoned))
        {
            return zoned.ToUniversalTime();
        }
        if (!hasZone && DateTime.TryParseExact(trimmed, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var utc))
        {
            return new DateTimeOffset(utc, TimeSpan.Zero);
        }
        throw new FormatException($"--to-datetime '{text}': use YYYY-MM-DDTHH:mm:SS.sss with an optional zone (Z or +hh:mm), e.g. 2026-01-20T15:30:04.000Z");
    }

    /// <summary>An ISO-8601 duration such as PT30M or P1DT2H (java.time.Duration's form: days, hours, minutes, seconds).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Contains('Y', StringComparison.OrdinalIgnoreCase) || (trimmed.IndexOf('M', StringComparison.OrdinalIgnoreCase) is var m and >= 0 && trimmed.IndexOf('T', StringComparison.OrdinalIgnoreCase) is var t && (t < 0 || m < t)))
        {
            throw new FormatException($"--by-duration '{text}': years and months are not durations; use PnDTnHnMnS, e.g. P1DT2H or PT30M");
        }
        try
        {
            var duration = XmlConvert.ToTimeSpan(trimmed.ToUpperInvariant());
            return duration >= TimeSpan.Zero ? duration : throw new FormatException($"--by-duration '{text}' is negative");
        }
        catch (FormatException e) when (!e.Message.StartsWith("--by-duration", StringComparison.Ordinal))
        {
            throw new FormatException($"--by-duration '{text}': use PnDTnHnMnS, e.g. P1DT2H or PT30M", e);
        }
    }
}
