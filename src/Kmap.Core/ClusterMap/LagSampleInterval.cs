using System.Globalization;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The interval between the two lag samples of a map, written as the Go tool wrote durations: `10s`,
/// `500ms`, `1m`, `1m30s`, a bare number of seconds, or `0` to take one sample only.
/// </summary>
public static class LagSampleInterval
{
    /// <summary>
    /// One sample: a map returns as soon as its files are written (the Go tool never waited, and cron jobs
    /// and pipelines must not sit idle). Lag growth is asked for with an interval or measured against the
    /// previous run's file (`--previous`), which also covers hours instead of seconds.
    /// </summary>
    public static readonly TimeSpan Default = TimeSpan.Zero;

    /// <summary>
    /// The interval to suggest when growth is wanted: twice the default auto.commit.interval.ms of Kafka's
    /// consumers (5 s), so an active consumer commits within it; a large cluster's map takes longer than
    /// this anyway and the wait overlaps it.
    /// </summary>
    public const string SuggestedText = "10s";

    /// <summary>The interval, or FormatException saying what is accepted.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.Trim();
        if (rest.Length == 0)
        {
            throw Invalid(text);
        }
        if (double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var bare) && bare >= 0)
        {
            return TimeSpan.FromSeconds(bare);
        }
        var total = TimeSpan.Zero;
        while (rest.Length > 0)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }
            var unit = digits;
            while (unit < rest.Length && char.IsAsciiLetter(rest[unit]))
            {
                unit++;
            }
            if (digits == 0 || !double.TryParse(rest[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw Invalid(text);
            }
            total += rest[digits..unit] switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                "h" => TimeSpan.FromHours(value),
                _ => throw Invalid(text),
            };
            rest = rest[unit..];
        }
        return total;
    }

    private static FormatException Invalid(string text) =>
        new($"--lag-sample-interval: '{text}' is not a duration (e.g. 10s, 500ms, 1m, or 0 to take one sample)");
}
