using System.Globalization;
using Kmap.Cli.Commands.ConsumerGroups;
using Kmap.Core.Restore;

namespace Kmap.Cli.Commands.Restore;

/// <summary>The restore plan as a table on stdout: one row per group and partition.</summary>
internal static class PlanTable
{
    private static readonly string[] Headers = ["GROUP", "TOPIC", "PARTITION", "BACKUP", "CURRENT", "LOG-START", "LOG-END", "NEW", "CHANGE", "HOW", "NOTE"];

    /// <summary>Writes the table as it goes: a plan of 200,000 partitions is never held as rows or as one string.</summary>
    public static Task WriteAsync(TextWriter writer, ResetPlan plan) => TextTable.WriteAsync(writer, Headers, () => Rows(plan));

    private static IEnumerable<IReadOnlyList<string>> Rows(ResetPlan plan)
    {
        foreach (var group in plan.Groups)
        {
            if (!group.CanApply && group.Offsets.Count == 0)
            {
                yield return [group.Group, "-", "-", "-", "-", "-", "-", "-", "-", "-", "REFUSED: see below"];
                continue;
            }
            foreach (var o in group.Offsets)
            {
                yield return [group.Group, o.Topic, N(o.Partition), N(o.BackupOffset), N(o.Current), N(o.LogStart), N(o.LogEnd), N(o.NewOffset), Change(o), o.Derivation ?? "-",
                    (o.Write ? "" : "NOT WRITTEN: ") + (o.Note ?? "")];
            }
        }
    }

    /// <summary>What the group will do next compared to its committed offset on the target: replay or skip records.</summary>
    private static string Change(PlannedOffset o) => o.Change switch
    {
        null => "new",
        0 => "=",
        > 0 and var skip => $"skip {skip}",
        var replay => $"replay {-replay}",
    };

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
