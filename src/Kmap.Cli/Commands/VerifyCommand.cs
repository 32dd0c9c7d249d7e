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
/// same translation), so it also checks a translated restore.
/// </summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions();
        var filters = new FilterOptions();
        var translate = new TranslateOptions();
        var command = new Command("verify", """
            Compare a backup with a cluster's committed offsets; change nothing.

            Examples:
              kmap verify --brokers source:9092 --from offsets.json
              kmap verify --brokers target:9092 --from offsets.json --translate timestamp

            Exit status: 0 no drift, 1 drift found or failure, 2 usage error.
            """);
        connection.AddTo(command);
        filters.AddTo(command);
        translate.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ConnectionSettings settings;
            RestoreRequest request;
            try
            {
                settings = connection.Build(parse, context);
                (_, _, request) = await translate.BuildAsync(parse, context, cancellationToken);
                request = request with { Filter = filters.Build(parse), Overwrite = true };
            }
            catch (FormatException e)
            {
                return await CommandErrors.UsageAsync(context, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                await context.Error.WriteLineAsync($"kmap: cannot read the backup: {e.Message}");
                return ExitCodes.Failure;
            }
            try
            {
                using var admin = new KafkaAdmin(settings, log: m => context.Error.WriteLine($"kmap: {m}"));
                var plan = await new OffsetRestorePlanner(admin, new KafkaRecordReader(settings)).PlanAsync(request, cancellationToken);
                foreach (var note in plan.Notes)
                {
                    await context.Error.WriteLineAsync($"kmap: {note}");
                }
                var rows = new List<IReadOnlyList<string>>();
                var compared = 0;
                foreach (var group in plan.Groups)
                {
                    if (group.Error is not null)
                    {
                        rows.Add([group.Group, "-", "-", "-", "-", "-", group.Error]);
                        continue;
                    }
                    foreach (var o in group.Offsets.Where(o => o.Write))
                    {
                        compared++;
                        if (o.Current != o.NewOffset)
                        {
                            rows.Add([group.Group, o.Topic, N(o.Partition), N(o.NewOffset), N(o.Current),
                                o.Current is { } c ? N(c - o.NewOffset) : "missing", o.Derivation ?? ""]);
                        }
                    }
                }
                if (rows.Count == 0)
                {
                    await context.Error.WriteLineAsync($"kmap: no drift: {compared} partition offset(s) in {plan.Groups.Count} group(s) match the backup");
                    return ExitCodes.Success;
                }
                await context.Out.WriteAsync(TextTable.Render(["GROUP", "TOPIC", "PARTITION", "EXPECTED", "CURRENT", "DRIFT", "HOW"], rows));
                await context.Error.WriteLineAsync($"kmap: drift: {rows.Count} of {compared} partition offset(s) differ from the backup");
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

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
