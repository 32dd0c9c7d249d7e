using System.CommandLine;
using System.Globalization;
using Kmap.Cli.Commands.ConsumerGroups;
using Kmap.Cli.Commands.Restore;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Restore;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap verify`: reports drift between a backup and a cluster without changing anything. A partition drifts
/// when the cluster's committed offset differs from what a restore of the backup would write there (after the
/// same translation), so it also checks a translated restore. Groups active on the cluster are compared and
/// marked: they move while they consume.
/// </summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions();
        var inputOptions = new BackupInputOptions();
        var format = OutputFormat.Create();
        var command = new Command("verify", """
            Compare a backup with a cluster's committed offsets; change nothing. Groups active on the cluster are
            compared too and marked ACTIVE: they move while they consume, so their drift is expected, but it still
            means the cluster does not hold the backup's offsets (exit 1).

            Examples:
              kmap verify --brokers source:9092 --from offsets.json
              kmap verify --brokers target:9092 --from offsets.json --translate timestamp
              kmap verify --brokers target:9092 --from offsets.json --format json | jq '.drift[] | select(.group_active | not)'

            Exit status: 0 every backed-up group has the backup's offsets, 1 a group differs (active or not: stderr
            says which), could not be compared, or no group matches the filters, or failure, 2 usage error.
            """);
        connection.AddTo(command);
        inputOptions.AddTo(command);
        command.Options.Add(format);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (input, exit) = await inputOptions.ReadAsync(connection, parse, context, request => request with
            {
                Overwrite = true,
                IncludeActiveGroups = true,
                ReadProgress = ProgressReporter.For(context, "reading committed offsets", "groups") is { } progress ? progress.Report : null,
            }, cancellationToken);
            if (input is null)
            {
                return exit;
            }
            var (settings, _, request) = input;
            try
            {
                using var admin = new KafkaAdmin(settings, log: m => context.Error.WriteLine($"kmap: {m}"));
                if (context.ShowProgress)
                {
                    await context.Error.WriteLineAsync($"kmap: comparing the backup with {settings.BootstrapServers}...");
                }
                var plan = await new OffsetRestorePlanner(admin, new KafkaRecordReader(settings)).PlanAsync(request, cancellationToken);
                foreach (var note in plan.Notes)
                {
                    await context.Error.WriteLineAsync($"kmap: {note}");
                }
                var report = DriftReport.Compute(plan);
                foreach (var group in report.ActiveGroups)
                {
                    await context.Error.WriteLineAsync($"kmap: note: group '{group.Group}' is active on the cluster ({group.State}, {group.ActiveMembers} member(s)): "
                        + "compared, but it commits new offsets while it consumes, so drift there is expected (marked ACTIVE)");
                }
                if (parse.GetValue(format) == OutputFormat.Json)
                {
                    await context.Out.WriteAsync(DriftReportJson.Serialize(report));
                }
                else if (report.Drifted.Count > 0 || report.Errors.Count > 0)
                {
                    await context.Out.WriteAsync(RenderTable(report));
                }
                var activeDrift = report.Drifted.Count(d => d.GroupActive);
                if (report.Groups == 0)
                {
                    // As grep: nothing matched is not success.
                    await context.Error.WriteLineAsync(BackupInputOptions.NoGroupMessage(request, "nothing to compare", "nothing compared"));
                    return ExitCodes.Failure;
                }
                if (report.Matches)
                {
                    await context.Error.WriteLineAsync($"kmap: no drift: {report.Compared} partition offset(s) in {report.Groups} group(s) match the backup");
                    return ExitCodes.Success;
                }
                var inactive = report.Drifted.Count - activeDrift;
                await context.Error.WriteLineAsync($"kmap: drift: {report.Drifted.Count} of {report.Compared} partition offset(s) differ from the backup"
                    + (activeDrift > 0 ? $" ({activeDrift} in active groups, expected while they consume; {inactive} in inactive groups)" : "")
                    + (report.Errors.Count > 0 ? $"; {report.Errors.Count} group(s) could not be compared" : ""));
                // Every group that does not have the backup's offsets, active or not: exit 1 while any differs.
                var differ = report.Drifted.GroupBy(d => d.Group, StringComparer.Ordinal)
                    .Select(g => g.First().GroupActive ? $"{g.Key} (active: it has moved on while consuming)" : g.Key)
                    .Concat(report.Errors.Select(e => $"{e.Group} (not compared)"))
                    .ToList();
                await context.Error.WriteLineAsync($"kmap: {differ.Count} group(s) do not have the backup's offsets: {string.Join(", ", differ.Take(100))}"
                    + (differ.Count > 100 ? $", … and {differ.Count - 100} more" : ""));
                return ExitCodes.Failure;
            }
            catch (ClusterException e)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static string RenderTable(DriftReport report)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var error in report.Errors)
        {
            rows.Add([error.Group, "-", "-", "-", "-", "-", "-", error.Error]);
        }
        foreach (var d in report.Drifted)
        {
            rows.Add([d.Group, d.Topic, N(d.Partition), N(d.Expected), N(d.Current), d.Drift is { } drift ? N(drift) : "missing", d.Derivation ?? "",
                d.GroupActive ? "ACTIVE: expected while it consumes" : ""]);
        }
        return TextTable.Render(["GROUP", "TOPIC", "PARTITION", "EXPECTED", "CURRENT", "DRIFT", "HOW", "NOTE"], rows);
    }

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
