using System.CommandLine;
using System.Globalization;
using Kmap.Cli.Commands.ConsumerGroups;
using Kmap.Core.Backup;

namespace Kmap.Cli.Commands;

/// <summary>`kmap diff A.json B.json`: what moved between two backups, per group and partition, in offsets and in time.</summary>
public static class DiffCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var before = new Argument<string>("A") { Description = "the earlier backup (a delta brings its chain)" };
        var after = new Argument<string>("B") { Description = "the later backup" };
        var format = OutputFormat.Create();
        var command = new Command("diff", """
            Show what moved between two backups: per group and partition, the offsets, how many records, and how
            far in record time.

            Examples:
              kmap diff monday.json tuesday.json
              kmap diff monday.json tuesday.json --format json | jq '.changes[] | select(.moved < 0)'

            Exit status: 0 success (also when there are differences), 1 failure, 2 usage error.
            """) { before, after, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var a = BackupChain.Merge((await BackupChain.LoadAsync([parse.GetValue(before)!], cancellationToken)).Select(c => c.Backup).ToList());
                var b = BackupChain.Merge((await BackupChain.LoadAsync([parse.GetValue(after)!], cancellationToken)).Select(c => c.Backup).ToList());
                var changes = BackupDiff.Compute(a, b);
                var groups = changes.Select(c => c.Group).Distinct(StringComparer.Ordinal).Count();
                var summary = $"kmap: {changes.Count} partition offset(s) in {groups} group(s) differ between {Rfc3339.Format(a.Timestamp)} and {Rfc3339.Format(b.Timestamp)}";
                if (parse.GetValue(format) == OutputFormat.Json)
                {
                    await context.Out.WriteAsync(BackupDiffJson.Serialize(a, b, changes));
                    await context.Error.WriteLineAsync(summary);
                    return ExitCodes.Success;
                }
                var rows = changes.Select(c => (IReadOnlyList<string>)
                [
                    c.Group, c.Topic, N(c.Partition), N(c.Before), N(c.After), c.Moved is { } m ? (m >= 0 ? "+" : "") + N(m) : c.Before is null ? "added" : "removed",
                    T(c.TimeBefore), T(c.TimeAfter), c.MovedInTime is { } d ? Duration(d) : "-",
                ]).ToList();
                await context.Out.WriteAsync(TextTable.Render(["GROUP", "TOPIC", "PARTITION", "A", "B", "MOVED", "TIME-A", "TIME-B", "MOVED-IN-TIME"], rows));
                await context.Error.WriteLineAsync(summary);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string T(DateTimeOffset? time) => time is { } t ? Rfc3339.FormatMillis(t) : "-";

    private static string Duration(TimeSpan d) =>
        (d < TimeSpan.Zero ? "-" : "+") + d.Duration().ToString(d.Duration() >= TimeSpan.FromDays(1) ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
}
