using System.Globalization;
using Kmap.Core.Sync;

namespace Kmap.Cli.Commands.Sync;

/// <summary>The one line a round of `kmap sync` writes on stderr.</summary>
internal static class SyncRoundLine
{
    public static string Name(SkipReason reason) => reason switch
    {
        SkipReason.Untranslatable => "untranslatable",
        SkipReason.WouldRewind => "would_rewind",
        SkipReason.Refused => "refused",
        SkipReason.Failed => "failed",
        _ => "interrupted",
    };

    public static string Format(int round, SyncRoundResult result, TimeSpan took)
    {
        ArgumentNullException.ThrowIfNull(result);
        var line = $"round {round}: {result.Groups} group(s), {result.PartitionsWritten} partition(s) written, {result.PartitionsUnchanged} unchanged";
        if (result.SkippedTotal > 0)
        {
            line += $", {result.SkippedTotal} skipped ("
                + string.Join(", ", result.Skipped.Where(s => s.Value > 0).OrderBy(s => s.Key).Select(s => $"{s.Value} {Name(s.Key).Replace('_', ' ')}")) + ")";
        }
        if (result.PartitionsClamped > 0)
        {
            line += $", {result.PartitionsClamped} clamped to the target's log";
        }
        if (result.ReadFailures > 0)
        {
            line += $", {result.ReadFailures} group(s) unreadable on the source";
        }
        if (result.HandedOverTotal > 0)
        {
            line += $", {result.HandedOverTotal} handed over to the target";
        }
        line += result.MaxTranslationLag is { } lag
            ? string.Create(CultureInfo.InvariantCulture, $", max translation lag {lag:0.###} s")
            : ", max translation lag unknown";
        line += string.Create(CultureInfo.InvariantCulture, $", took {took.TotalSeconds:0.0} s");
        return result.Interrupted ? line + " (interrupted: no group started after the signal)" : line;
    }
}
