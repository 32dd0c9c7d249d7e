using System.CommandLine;
using Kmap.Cli.Commands.Restore;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Core.Restore;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap restore`: plan → preview → apply. Without --execute it prints the plan and changes nothing; with
/// --execute it saves the target's previous offsets (rollback file), then applies exactly that plan.
/// Ctrl-C while applying stops starting groups, waits for the commits in flight and says which groups were written.
/// </summary>
public static class RestoreCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions();
        var inputOptions = new BackupInputOptions();
        var execute = new Option<bool>("--execute") { Description = "apply the plan (without it: print the plan, change nothing)" };
        var format = OutputFormat.Create();
        var planJson = new Option<string?>("--plan-json") { Description = "also write the plan as JSON to this file" };
        var outOfRange = new Option<string>("--out-of-range") { Description = "clamp (default) | fail | earliest | latest: an offset outside the target's log", DefaultValueFactory = _ => "clamp" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace the offsets of groups that already have offsets on the target" };
        var noRewind = new Option<bool>("--no-rewind") { Description = "on groups that exist on the target, only move offsets forward (as MirrorMaker 2 does)" };
        var createTopics = new Option<bool>("--create-missing-topics") { Description = "create topics missing on the target, with the source's partition counts (as the backup recorded them)" };
        var rollbackFile = new Option<string?>("--rollback-file") { Description = "where to save the target's previous offsets (default: next to the input)" };
        var concurrency = new Option<int>("--concurrency") { Description = "groups written at once (each one OffsetCommit to its coordinator)", DefaultValueFactory = _ => 32 };
        var command = new Command("restore", """
            Restore a backup's consumer-group offsets onto a cluster, translating positions when the target's
            offsets differ (MirrorMaker 2, replays). Prints the plan (--format json: as JSON on stdout); --execute
            applies it.

            Examples:
              kmap restore --brokers target:9092 --from offsets.json                        (plan only)
              kmap restore --brokers target:9092 --from offsets.json --translate timestamp --execute
              kmap restore --brokers target:9092 --from offsets.json --translate mm2 --source-alias source --execute
              kmap restore --brokers target:9092 --from base.json --from delta.json --include-groups 'orders-*'
              kmap restore --brokers target:9092 --from offsets.json --format json | jq '.groups[].partitions[]'
              kmap restore --brokers target:9092 --from offsets.rollback-20260120T153004Z.json --execute   (undo)

            Ctrl-C during --execute starts no more groups, waits for the commits already sent (each group is one
            commit: written whole or not at all), lists the groups written and not written, and exits 130; running
            the same command again writes the rest and leaves the written groups unchanged.

            --translate auto never guesses: where every record of a target partition is newer (or older) than the
            backed-up position, the row is AMBIGUOUS and --execute refuses until you choose --translate offset or timestamp.

            Exit status: 0 success, 1 failure (also: no group matches the filters, AMBIGUOUS rows with --execute),
            2 usage error, 3 some groups refused or failed, 130 interrupted.
            """);
        connection.AddTo(command);
        inputOptions.AddTo(command);
        foreach (var option in new Option[] { execute, format, planJson, outOfRange, overwrite, noRewind, createTopics, rollbackFile, concurrency })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (input, exit) = await inputOptions.ReadAsync(connection, parse, context, request => request with
            {
                OutOfRange = parse.GetValue(outOfRange)?.ToLowerInvariant() switch
                {
                    "clamp" => OutOfRangePolicy.Clamp,
                    "fail" => OutOfRangePolicy.Fail,
                    "earliest" => OutOfRangePolicy.Earliest,
                    "latest" => OutOfRangePolicy.Latest,
                    var other => throw new FormatException($"--out-of-range {other}: use clamp, fail, earliest or latest"),
                },
                Overwrite = parse.GetValue(overwrite),
                NoRewind = parse.GetValue(noRewind),
                CreateMissingTopics = parse.GetValue(createTopics),
                ReadProgress = ProgressReporter.For(context, "reading the target's committed offsets", "groups") is { } reading ? reading.Report : null,
            }, cancellationToken);
            if (input is null)
            {
                return exit;
            }
            var (settings, files, request) = input;
            var errorLock = new Lock();
            ProgressReporter? writing = null;
            void Say(string line)
            {
                lock (errorLock)
                {
                    if (writing is not null)
                    {
                        writing.WriteLine($"kmap: {line}");
                    }
                    else
                    {
                        context.Error.WriteLine($"kmap: {line}");
                    }
                }
            }
            using var interrupt = new InterruptSignal(cancellationToken,
                () => Say("interrupted: starting no more groups; waiting for the commits already sent (Ctrl-C again to quit at once)"));
            var token = interrupt.Token;
            try
            {
                using var admin = new KafkaAdmin(settings, log: Say);
                if (context.ShowProgress)
                {
                    await context.Error.WriteLineAsync($"kmap: planning the restore onto {settings.BootstrapServers}...");
                }
                var plan = await new OffsetRestorePlanner(admin, new KafkaRecordReader(settings)).PlanAsync(request, token);
                await PrintPlanAsync(context, plan, parse.GetValue(format) == OutputFormat.Json);
                if (parse.GetValue(planJson) is { } jsonPath)
                {
                    AtomicFile.Write(jsonPath, stream => RestorePlanJson.Write(stream, plan), null);
                    await context.Error.WriteLineAsync($"kmap: wrote the plan to {jsonPath}");
                }
                var refused = plan.Groups.Count(g => !g.CanApply);
                if (plan.Groups.Count == 0)
                {
                    // As grep: nothing matched is not success.
                    await context.Error.WriteLineAsync(BackupInputOptions.NoGroupMessage(request, "nothing to restore", "nothing to restore, nothing written"));
                    return ExitCodes.Failure;
                }
                var ambiguous = plan.Groups.SelectMany(g => g.Offsets).Count(o => o.IsAmbiguous);
                if (!parse.GetValue(execute))
                {
                    await context.Error.WriteLineAsync("kmap: plan only: nothing changed (add --execute to apply this plan)"
                        + (ambiguous > 0 ? $"; {ambiguous} AMBIGUOUS partition(s): choose --translate offset or --translate timestamp first" : ""));
                    return Exit(refused, plan.Groups.Count);
                }
                if (ambiguous > 0)
                {
                    await context.Error.WriteLineAsync($"kmap: error: --translate auto cannot decide {ambiguous} partition(s) (AMBIGUOUS in the plan): "
                        + "run again with --translate offset if the target's records are copies at the same offsets, or --translate timestamp "
                        + "if they are new data the groups have not read; nothing written");
                    return ExitCodes.Failure;
                }
                var applicable = plan.Groups.Where(g => g.CanApply).ToList();
                if (applicable.All(g => g.IsNoOp) && plan.TopicsToCreate.Count == 0)
                {
                    var rows = applicable.SelectMany(g => g.Offsets).ToList();
                    var notRestored = plan.Groups.Where(g => !g.CanApply).Select(g => g.Group).ToList();
                    var refusedPart = $"{notRestored.Count} group(s) refused, not restored (see above): {string.Join(", ", notRestored.Take(100))}"
                        + (notRestored.Count > 100 ? $", … and {notRestored.Count - 100} more" : "");
                    await context.Error.WriteLineAsync(
                        applicable.Count == 0 ? $"kmap: nothing written: {refusedPart}"
                        : notRestored.Count > 0 ? $"kmap: nothing written: {applicable.Count} group(s) already have these offsets or are kept; {refusedPart}"
                        : rows.All(r => r.Write) ? "kmap: nothing to do: the target already has these offsets (re-running a restore changes nothing)"
                        : "kmap: nothing written: every offset is already on the target or kept (see NOT WRITTEN in the plan)");
                    return Exit(refused, plan.Groups.Count);
                }
                if (plan.TopicsToCreate.Count > 0)
                {
                    using var creatorAdmin = new KafkaAdmin(settings);
                    var created = await new TopicCreator(creatorAdmin).CreateTopicsAsync(
                        plan.TopicsToCreate.Select(t => new TopicSpec(t.Key, t.Value, TopicSpec.BrokerDefaultReplication, [])).ToList(), token);
                    var failures = created.Where(c => c.Error is not null && !c.AlreadyExists).ToList();
                    foreach (var failure in failures)
                    {
                        await context.Error.WriteLineAsync($"kmap: error: cannot create topic '{failure.Name}': {failure.Error}; nothing written");
                    }
                    if (failures.Count > 0)
                    {
                        return ExitCodes.Failure;
                    }
                    await context.Error.WriteLineAsync($"kmap: created topic(s) {string.Join(", ", plan.TopicsToCreate.Select(t => $"{t.Key} ({t.Value} partition(s))"))}");
                }
                // The previous offsets are saved before the first write, so the restore can always be undone.
                var now = context.Time.GetUtcNow();
                var (rollback, withoutPrevious) = RollbackFile.Build(plan, settings.BootstrapServers, await admin.GetClusterIdAsync(token), Rfc3339.TruncateToSeconds(now));
                const int NotesShown = 10;
                var newGroups = withoutPrevious.GroupBy(w => w.Group, StringComparer.Ordinal).ToList();
                var rollbackPath = parse.GetValue(rollbackFile) ?? RollbackFile.DefaultPath(files[^1], now);
                AtomicFile.Write(rollbackPath, stream => OffsetBackupJson.Write(stream, rollback), null);
                if (rollback.ConsumerGroups.Count == 0)
                {
                    // That file plans nothing: say what undoing really takes instead of pointing at it.
                    await WriteNothingToRollBackAsync(context, plan, newGroups, settings.BootstrapServers, rollbackPath);
                    newGroups = [];
                }
                else
                {
                    await context.Error.WriteLineAsync($"kmap: saved the target's previous offsets to {rollbackPath} (undo: kmap restore --brokers {settings.BootstrapServers} --from {rollbackPath} --execute)");
                }
                foreach (var group in newGroups.Take(NotesShown))
                {
                    await context.Error.WriteLineAsync($"kmap: note: {group.Key} had no offset before on {string.Join(", ", group.Select(g => g.Partition))}; "
                        + $"undoing cannot remove those (kmap consumer-groups --delete-offsets --group {group.Key} --topic TOPIC, or --delete the group)");
                }
                if (newGroups.Count > NotesShown)
                {
                    await context.Error.WriteLineAsync($"kmap: note: … and {newGroups.Count - NotesShown} more group(s) had no offset before on some partitions (the same applies)");
                }
                // A line per group as it finishes; groups never started after Ctrl-C are listed once, in the summary.
                // Progress (a bar on a terminal, a line every few seconds in a log) counts the groups finished.
                writing = ProgressReporter.For(context, "writing offsets", "groups");
                var finished = 0;
                var options = new ApplyOptions
                {
                    MaxConcurrency = parse.GetValue(concurrency),
                    GroupDone = result =>
                    {
                        lock (errorLock)
                        {
                            if (!result.Interrupted || result.Attempts > 0)
                            {
                                Say(RestoreReport.Describe(result));
                            }
                            writing?.Report(++finished, plan.Groups.Count);
                        }
                    },
                };
                var results = await new ResetExecutor(admin).ApplyAsync(plan, options, admin, token);
                if (results.Any(r => r.Interrupted))
                {
                    await RestoreReport.WriteInterruptedAsync(context.Error, results);
                    return ExitCodes.Interrupted;
                }
                var failed = await RestoreReport.WriteSummaryAsync(context.Error, results);
                return Exit(failed, plan.Groups.Count);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Planning, creating topics or saving the rollback file: the executor had not started.
                await context.Error.WriteLineAsync("kmap: interrupted before any offset was written: no group changed (run the same command again to restore)");
                return ExitCodes.Interrupted;
            }
            catch (ClusterException e)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (ArgumentException e)
            {
                return await CommandErrors.UsageAsync(context, parse, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}; nothing written");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    internal static async Task PrintPlanAsync(CliContext context, ResetPlan plan, bool json)
    {
        foreach (var note in plan.Notes)
        {
            await context.Error.WriteLineAsync($"kmap: {note}");
        }
        if (json)
        {
            await context.Out.WriteAsync(RestorePlanJson.Serialize(plan));
        }
        else
        {
            await PlanTable.WriteAsync(context.Out, plan);
        }
        foreach (var group in plan.Groups)
        {
            foreach (var warning in group.Warnings)
            {
                await context.Error.WriteLineAsync($"kmap: warning: {warning}");
            }
            if (group.Error is not null)
            {
                await context.Error.WriteLineAsync($"kmap: refused: {group.Error}");
            }
        }
        var clamped = plan.Groups.SelectMany(g => g.Offsets).Count(o => o.IsClamped);
        if (clamped > 0)
        {
            await context.Error.WriteLineAsync($"kmap: warning: {clamped} offset(s) were outside the target's log and were moved into it (see NOTE)");
        }
    }

    /// <summary>Every partition to write had no offset before: the rollback file holds nothing; how to remove what is written instead.</summary>
    private static async Task WriteNothingToRollBackAsync(CliContext context, ResetPlan plan, IReadOnlyList<IGrouping<string, (string Group, Kmap.Core.Model.TopicPartition Partition)>> groups,
        string brokers, string rollbackPath)
    {
        const int Shown = 10;
        var existing = plan.Groups.Where(g => g.ExistsOnTarget).Select(g => g.Group).ToHashSet(StringComparer.Ordinal);
        var fresh = groups.Select(g => g.Key).Where(g => !existing.Contains(g)).ToList();
        var older = groups.Where(g => existing.Contains(g.Key)).ToList();
        await context.Error.WriteLineAsync($"kmap: nothing to roll back: none of the {groups.Count} group(s) to write had an offset before on these partitions "
            + $"({rollbackPath} holds no group; restoring it would change nothing)");
        if (fresh.Count > 0)
        {
            await context.Error.WriteLineAsync($"kmap: to undo, delete the new group(s): kmap consumer-groups --bootstrap-server {brokers} --delete "
                + string.Join(" ", fresh.Take(Shown).Select(g => $"--group {ShellWord(g)}"))
                + (fresh.Count > Shown ? $" … ({fresh.Count - Shown} more)" : ""));
        }
        foreach (var group in older.Take(Shown))
        {
            // --topic topic:p,p for each topic written: only the offsets this restore added.
            var topics = group.GroupBy(w => w.Partition.Topic, StringComparer.Ordinal)
                .Select(t => $"--topic {ShellWord($"{t.Key}:{string.Join(',', t.Select(w => w.Partition.Partition).Order())}")}");
            await context.Error.WriteLineAsync($"kmap: to undo {group.Key} (it has offsets on other partitions), delete the written ones: kmap consumer-groups "
                + $"--bootstrap-server {brokers} --delete-offsets --group {ShellWord(group.Key)} {string.Join(" ", topics)}");
        }
        if (older.Count > Shown)
        {
            await context.Error.WriteLineAsync($"kmap: … and {older.Count - Shown} more group(s) to undo with --delete-offsets (the same applies)");
        }
    }

    /// <summary>A group name as one shell word in a hint (quoted when it holds anything but plain characters).</summary>
    private static string ShellWord(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or ',') ? name : "'" + name.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int Exit(int failed, int total) =>
        failed == 0 ? ExitCodes.Success : failed == total ? ExitCodes.Failure : ExitCodes.Partial;
}
