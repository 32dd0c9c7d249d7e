using System.Globalization;
using Kmap.Core.Cluster;
using Kmap.Core.Csv;
using Kmap.Core.Restore;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>
/// --reset-offsets: plan, print the plan (table, or CSV with --export), and with --execute apply that
/// same plan. Refused groups print Kafka's "Error: ..." line and make the exit status non-zero.
/// The planner reads every group's state in batches (see <see cref="ResetPlanner"/>), so one call for
/// thousands of groups costs round trips per batch, not per group.
/// </summary>
internal static class ResetOffsetsAction
{
    /// <summary>What a dry run advises to apply the plan instead of "add --execute"; the generated restore script sets it.</summary>
    public const string ApplyHintVariable = "KMAP_APPLY_HINT";

    /// <summary>
    /// Group commits in flight at once. Kafka's OffsetCommit carries one group, so a reset of thousands of groups
    /// (the restore script's batch mode) is as fast as the commits that overlap.
    /// </summary>
    private const int CommitConcurrency = 64;

    public static async Task<int> RunAsync(ConsumerGroupsRequest request, ResetStrategy strategy, IClusterReader reader, IOffsetWriter writer,
        CliContext context, CancellationToken cancellationToken)
    {
        var resetRequest = new ResetRequest(request.Groups, request.AllGroups, strategy)
        {
            Topics = request.Topics.Select(TopicSelection.Parse).ToList(),
            AllTopics = request.AllTopics,
        };
        var plan = await new ResetPlanner(reader, context.Time).PlanAsync(resetRequest, cancellationToken);

        var failures = plan.Groups.Where(g => !g.CanApply).Select(g => g.Group).ToHashSet(StringComparer.Ordinal);
        var applyErrors = new List<string>();
        if (request.Execute)
        {
            var applied = await new ResetExecutor(writer) { MaxConcurrency = CommitConcurrency }.ApplyAsync(plan, cancellationToken);
            foreach (var result in applied.Where(r => !r.Succeeded && !failures.Contains(r.Group)))
            {
                failures.Add(result.Group);
                var details = result.Error ?? string.Join("; ", result.Partitions.Where(p => !p.Succeeded).Select(p => $"{p.TopicPartition}: {p.Error}"));
                applyErrors.Add($"Offsets of group '{result.Group}' could not be reset: {details}");
            }
        }

        var applicable = plan.Groups.Where(g => g.CanApply).ToList();
        if (request.Export)
        {
            var single = request.Groups.Count == 1;
            var rows = applicable.SelectMany(g => g.Offsets.Select(o => new ResetCsvRow(g.Group, o.Topic, o.Partition, o.NewOffset)));
            await context.Out.WriteAsync(ResetCsv.Write(rows, withGroup: !single));
        }
        else if (applicable.Count > 0)
        {
            await context.Out.WriteLineAsync();
            await context.Out.WriteAsync(RenderPlan(applicable));
        }
        foreach (var error in plan.Groups.Where(g => !g.CanApply).Select(g => g.Error).Concat(applyErrors))
        {
            await context.Out.WriteLineAsync($"\nError: {error}");
        }
        foreach (var offset in applicable.SelectMany(g => g.Offsets.Where(o => o.IsClamped).Select(o => (g.Group, o))))
        {
            var requested = offset.o.Requested!.Value;
            var difference = Math.Abs(requested - offset.o.NewOffset);
            var effect = requested > offset.o.NewOffset ? $"{difference} offset(s) past the log end do not exist yet" : $"{difference} record(s) before the log start are gone";
            await context.Error.WriteLineAsync(
                $"kmap: {offset.Group} {offset.o.Topic}-{offset.o.Partition}: requested offset {requested} is outside [{offset.o.LogStart}, {offset.o.LogEnd}]; using {offset.o.NewOffset} ({effect})");
        }
        if (!request.Execute)
        {
            // The restore script runs this command and sets KMAP_APPLY_HINT: there the advice is the script's, not --execute.
            var apply = context.Environment(ApplyHintVariable) is { Length: > 0 } hint ? hint : "add --execute";
            await context.Error.WriteLineAsync($"kmap: dry run: nothing changed ({apply} to apply this plan)");
        }
        if (failures.Count == 0)
        {
            return ExitCodes.Success;
        }
        return failures.Count == plan.Groups.Count ? ExitCodes.Failure : ExitCodes.Partial;
    }

    private static string RenderPlan(IReadOnlyList<GroupResetPlan> groups)
    {
        var anyClamped = groups.Any(g => g.Offsets.Any(o => o.IsClamped));
        var headers = new List<string> { "GROUP", "TOPIC", "PARTITION", "NEW-OFFSET" };
        if (anyClamped)
        {
            headers.Add("NOTE");
        }
        var rows = groups.SelectMany(g => g.Offsets.Select(o =>
        {
            var row = new List<string> { g.Group, o.Topic, o.Partition.ToString(CultureInfo.InvariantCulture), o.NewOffset.ToString(CultureInfo.InvariantCulture) };
            if (anyClamped)
            {
                row.Add(o.ClampNote ?? "");
            }
            return (IReadOnlyList<string>)row;
        })).ToList();
        return TextTable.Render(headers, rows);
    }
}
