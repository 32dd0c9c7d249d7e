using System.CommandLine;
using Kmap.Cli.Commands.Restore;
using Kmap.Cli.Compat;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap backup`: the guide's backup JSON plus, per partition, log start/end, lag and the times of the last
/// consumed and the next record; differential with --since. Summary on stderr.
/// </summary>
public static class BackupCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = new ConnectionOptions();
        var filters = new FilterOptions();
        var output = new Option<string>("--output", "-o") { Description = "the backup file to write ('-' for stdout)", Required = true };
        var noTimestamps = new Option<bool>("--no-timestamps") { Description = "do not read the record times (faster; restore then cannot translate by time)" };
        var since = new Option<string?>("--since") { Description = "differential: write only what changed since this earlier backup (the file references it)" };
        var concurrency = new Option<int>("--concurrency") { Description = "groups read at once", DefaultValueFactory = _ => 32 };
        var command = new Command("backup", """
            Back up every consumer group's committed offsets, with the log range, the lag and the times of the
            last consumed and the next record of each partition.

            Examples:
              kmap backup --brokers source:9092 -o offsets.json
              kmap backup --brokers source:9092 -o orders.json --include-groups 'orders-*' --topics 're:^orders\.'
              kmap backup --brokers source:9092 -o delta.json --since offsets.json      (differential)

            Exit status: 0 success, 1 failure, 2 usage error, 3 some groups could not be read.
            """);
        connection.AddTo(command);
        filters.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(noTimestamps);
        command.Options.Add(since);
        command.Options.Add(concurrency);
        command.SetAction(async (parse, cancellationToken) =>
        {
            ConnectionSettings settings;
            Core.Filters.BackupFilter filter;
            try
            {
                settings = connection.Build(parse, context);
                filter = filters.Build(parse);
            }
            catch (FormatException e)
            {
                return await CommandErrors.UsageAsync(context, parse, e.Message);
            }
            var path = parse.GetValue(output)!;
            var sincePath = parse.GetValue(since);
            try
            {
                using var admin = new KafkaAdmin(settings, log: m => context.Error.WriteLine($"kmap: {m}"));
                if (context.ShowProgress)
                {
                    await context.Error.WriteLineAsync($"kmap: backing up the consumer groups of {settings.BootstrapServers}...");
                }
                var result = await new OffsetBackupService(admin, context.Time).BackupAsync(new BackupOptions(settings.BootstrapServers)
                {
                    Filter = filter,
                    MaxConcurrency = parse.GetValue(concurrency),
                    Progress = ProgressReporter.For(context, "reading committed offsets", "groups") is { } progress ? progress.Report : null,
                }, cancellationToken);
                var backup = result.Backup;
                if (!parse.GetValue(noTimestamps))
                {
                    backup = await BackupRecordTimes.AddAsync(backup, new KafkaRecordReader(settings), cancellationToken);
                }
                var full = backup;
                if (sincePath is not null)
                {
                    var chain = await BackupChain.LoadAsync([sincePath], cancellationToken);
                    var previous = BackupChain.Merge(chain.Select(c => c.Backup).ToList());
                    var directory = path == "-" ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
                    backup = BackupChain.Delta(previous, backup, Path.GetRelativePath(directory, Path.GetFullPath(sincePath))) with { BaseTimestamp = chain[^1].Backup.Timestamp };
                }
                if (path == "-")
                {
                    await context.Out.WriteAsync(OffsetBackupJson.Serialize(backup));
                }
                else
                {
                    // Streamed into the temp file: no whole-document string, however many groups.
                    AtomicFile.Write(path, stream => OffsetBackupJson.Write(stream, backup), null);
                }
                await BackupReport.WriteAsync(context.Error, result with { Backup = full }, path == "-" ? null : path, null);
                await WriteSummaryAsync(context, full, backup, sincePath);
                return result.IsComplete ? ExitCodes.Success : ExitCodes.Partial;
            }
            catch (ClusterException e)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Text.Json.JsonException)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task WriteSummaryAsync(CliContext context, Core.Model.OffsetBackup full, Core.Model.OffsetBackup written, string? sincePath)
    {
        var summary = BackupSummary.Of(full);
        var oldest = summary.OldestPosition is { } t ? $"{Rfc3339.FormatMillis(t)} ({summary.OldestWhere})" : "unknown";
        await context.Error.WriteLineAsync($"kmap: summary: {summary.Groups} group(s), {summary.Partitions} partition(s), total lag {summary.TotalLag} record(s), oldest position {oldest}");
        if (sincePath is not null)
        {
            var partitions = written.ConsumerGroups.Sum(g => g.Offsets.Count);
            await context.Error.WriteLineAsync($"kmap: differential: {written.ConsumerGroups.Count} group(s), {partitions} partition(s) changed since {sincePath}");
        }
    }
}
