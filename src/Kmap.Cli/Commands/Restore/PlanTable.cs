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
                if (o.IsAmbiguous)
                {
                    // Nothing is decided: both readings are in NOTE, and --execute refuses under auto.
                    yield return [group.Group, o.Topic, N(o.Partition), N(o.BackupOffset), N(o.Current), N(o.LogStart), N(o.LogEnd), "?", "?", o.Derivation ?? "-", o.Note ?? "AMBIGUOUS"];
                    continue;
                }
                // A row not written keeps the target's offset: NEW shows that one, and what the translation gave goes to NOTE.
                yield return [group.Group, o.Topic, N(o.Partition), N(o.BackupOffset), N(o.Current), N(o.LogStart), N(o.LogEnd), N(o.Outcome), Change(o), o.Derivation ?? "-",
                    o.Write ? o.Note ?? "" : $"NOT WRITTEN: {(o.Note is null ? "" : o.Note + "; ")}translated {N(o.NewOffset)}"];
            }
        }
    }

    /// <summary>What the group will do next compared to its committed offset on the target: replay or skip records.</summary>
    private static string Change(PlannedOffset o) => o.OutcomeChange switch
    {
        null => o.Write ? "new" : "-",
        0 => "=",
        > 0 and var skip => $"skip {skip}",
        var replay => $"replay {-replay}",
    };

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
