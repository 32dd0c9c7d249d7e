using System.Globalization;

namespace Kmap.Core.Backup;

/// <summary>Timestamps as the backup file writes them: RFC 3339, UTC, whole seconds (2026-01-20T15:30:04Z).</summary>
public static class Rfc3339
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Record times keep their milliseconds (Kafka's resolution): 2026-01-20T15:30:04.123Z.</summary>
    public static string FormatMillis(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Drops the fraction of a second so a value survives a write/read round trip unchanged.</summary>
    public static DateTimeOffset TruncateToSeconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
