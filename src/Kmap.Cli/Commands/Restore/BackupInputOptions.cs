using System.CommandLine;
using Kmap.Core.Backup;
using Kmap.Core.Config;
using Kmap.Core.Restore;

namespace Kmap.Cli.Commands.Restore;

/// <summary>What restore and verify read before they connect: the connection, the backup chain's files, the request.</summary>
internal sealed record BackupInput(ConnectionSettings Settings, IReadOnlyList<string> Files, RestoreRequest Request);

/// <summary>
/// The options restore and verify share: the backup chain (--from), which of its groups and topics
/// (--include-groups/--exclude-groups/--topics) and how positions are translated onto the cluster.
/// </summary>
internal sealed class BackupInputOptions
{
    public FilterOptions Filters { get; } = new();
    public Option<string[]> From { get; } = new("--from") { Description = "backup file; repeat for a chain (base first, then deltas); a delta alone finds its base", Required = true, AllowMultipleArgumentsPerToken = false };
    public Option<string> Translate { get; } = new("--translate") { Description = "offset | timestamp | mm2 | auto (default)", DefaultValueFactory = _ => "auto" };
    public Option<string?> SourceAlias { get; } = new("--source-alias") { Description = "with --translate mm2: the source cluster's alias (checkpoints in ALIAS.checkpoints.internal)" };
    public Option<string?> ToDateTime { get; } = new("--to-datetime") { Description = "instead of the backup's positions: the first record at/after YYYY-MM-DDTHH:mm:SS.sss[Z]" };
    public Option<string?> ByDuration { get; } = new("--by-duration") { Description = "instead of the backup's positions: the first record at/after now minus PnDTnHnMnS" };

    public void AddTo(Command command)
    {
        Filters.AddTo(command);
        command.Options.Add(From);
        command.Options.Add(Translate);
        command.Options.Add(SourceAlias);
        command.Options.Add(ToDateTime);
        command.Options.Add(ByDuration);
    }

    /// <summary>
    /// The connection, the chain's files and the request, <paramref name="complete"/>d with the command's own settings;
    /// or, already reported on stderr, the exit code: a usage error (a FormatException, also from
    /// <paramref name="complete"/>) or a backup that cannot be read.
    /// </summary>
    public async Task<(BackupInput? Input, int Exit)> ReadAsync(ConnectionOptions connection, ParseResult parse, CliContext context,
        Func<RestoreRequest, RestoreRequest> complete, CancellationToken cancellationToken)
    {
        try
        {
            var settings = connection.Build(parse, context);
            var (files, request) = await BuildAsync(parse, context, cancellationToken);
            return (new BackupInput(settings, files, complete(request)), ExitCodes.Success);
        }
        catch (FormatException e)
        {
            return (null, await CommandErrors.UsageAsync(context, parse, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            await context.Error.WriteLineAsync($"kmap: cannot read the backup: {e.Message}");
            return (null, ExitCodes.Failure);
        }
    }

    /// <summary>What kmap says when the request's filters leave no group: "the backup holds no groups" or "no group … matches".</summary>
    public static string NoGroupMessage(RestoreRequest request, string nothing, string nothingMatched) =>
        request.Backup.ConsumerGroups.Count == 0
            ? $"kmap: the backup holds no groups: {nothing}"
            : $"kmap: no group of the backup matches --include-groups/--exclude-groups/--topics: {nothingMatched}";

    /// <summary>The chain's files and the request (merged backup, filters, translation); FormatException/ArgumentException are usage errors.</summary>
    public async Task<(IReadOnlyList<string> Files, RestoreRequest Request)> BuildAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken)
    {
        var filter = Filters.Build(parse);
        var files = parse.GetValue(From) ?? [];
        var chain = await BackupChain.LoadAsync(files, cancellationToken);
        var backup = BackupChain.Merge(chain.Select(c => c.Backup).ToList());
        var mode = parse.GetValue(Translate)?.ToLowerInvariant() switch
        {
            "auto" or null => TranslateMode.Auto,
            "offset" => TranslateMode.Offset,
            "timestamp" => TranslateMode.Timestamp,
            "mm2" => TranslateMode.Mm2,
            var other => throw new FormatException($"--translate {other}: use offset, timestamp, mm2 or auto"),
        };
        var toDateTime = parse.GetValue(ToDateTime);
        var byDuration = parse.GetValue(ByDuration);
        if (toDateTime is not null && byDuration is not null)
        {
            throw new FormatException("give --to-datetime or --by-duration, not both");
        }
        DateTimeOffset? toTime = toDateTime is not null ? ResetTimeParser.ParseDateTime(toDateTime)
            : byDuration is not null ? context.Time.GetUtcNow() - ResetTimeParser.ParseDuration(byDuration)
            : null;
        if (mode == TranslateMode.Mm2 && parse.GetValue(SourceAlias) is null)
        {
            throw new FormatException("--translate mm2 needs --source-alias (the source cluster's alias in MirrorMaker 2's configuration)");
        }
        return (chain.Select(c => c.Path).ToList(), new RestoreRequest(backup)
        {
            Filter = filter,
            Translate = mode,
            SourceAlias = parse.GetValue(SourceAlias),
            ToTime = toTime,
        });
    }
}
