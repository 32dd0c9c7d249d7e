using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Kmap.Cli.Commands.Restore;
using Kmap.Cli.Commands.Sync;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Restore;
using Kmap.Core.Sync;
using Kmap.Kafka;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap sync`: keeps the consumer positions of a standby or migration target current, round after round, with
/// restore's planner and executor (its rules, not a copy of them). Until Ctrl-C/SIGTERM, or one round with --once.
/// </summary>
public static partial class SyncCommand
{
    /// <summary>The longest pause between two attempts after failed rounds.</summary>
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = ConnectionOptions.ForSide("source");
        var target = ConnectionOptions.ForSide("target");
        var filters = new FilterOptions();
        var interval = new Option<string>("--interval") { Description = "time between rounds: 30s (default), 500ms, 5m, 1h", DefaultValueFactory = _ => "30s" };
        var translate = new Option<string>("--translate") { Description = "offset | timestamp | mm2 | auto (default): as kmap restore" };
        var sourceAlias = new Option<string?>("--source-alias") { Description = "with --translate mm2: the source cluster's alias (checkpoints in ALIAS.checkpoints.internal on the target)" };
        var once = new Option<bool>("--once") { Description = "run one round and exit with restore's exit codes" };
        var stateFile = new Option<string?>("--state-file") { Description = "keep the handed-over groups and the written positions in this file across restarts" };
        var allowRewind = new Option<bool>("--allow-rewind") { Description = "also move groups backwards on the target (default: only forward)" };
        var metricsListen = new Option<string?>("--metrics-listen") { Description = "serve Prometheus metrics at http://HOST:PORT/metrics", HelpName = "HOST:PORT" };
        var concurrency = new Option<int>("--concurrency") { Description = "groups read and written at once", DefaultValueFactory = _ => 32 };
        translate.DefaultValueFactory = _ => "auto";
        var command = new Command("sync", """
            Keep consumer positions current on a standby or migration target: each round reads the source's
            committed offsets, translates them (as kmap restore) and writes them to the target's groups that
            are empty or absent there. A group that becomes active on the target (or that another client
            moves there) is handed over: kmap never writes it again. Records are not copied: replicate them
            first (MirrorMaker 2, a replicator).

            Each side has its own connection, as in kmap compare: --SIDE-brokers, --SIDE-context,
            --SIDE-command-config, --SIDE-security-protocol, --SIDE-sasl-*, --SIDE-tls-*; passwords from
            KMAP_SOURCE_SASL_PASSWORD / KMAP_TARGET_SASL_PASSWORD.

            Examples:
              kmap sync --source-brokers a:9092 --target-brokers b:9092 --translate timestamp
              kmap sync --source-context prod --target-context dr --interval 1m --state-file sync-state.json
              kmap sync --source-brokers a:9092 --target-brokers b:9092 --translate mm2 --source-alias a --once
              kmap sync --source-brokers a:9092 --target-brokers b:9092 --metrics-listen 127.0.0.1:9464

            One line per round on stderr (groups, partitions written, skipped and why, max translation lag);
            a round that fails names the broker and is retried with backoff (up to 60 s). Ctrl-C or SIGTERM
            lets the round's commits in flight finish, then exits 0.

            Exit status: 0 after Ctrl-C/SIGTERM; with --once as kmap restore: 0 success, 1 failure (also: no
            group on the source), 2 usage error, 3 some groups refused or failed or partitions not translatable,
            130 interrupted. 1 when the state file cannot be read or written.
            """);
        source.AddTo(command);
        target.AddTo(command);
        filters.AddTo(command);
        foreach (var option in new Option[] { interval, translate, sourceAlias, once, stateFile, allowRewind, metricsListen, concurrency })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            ConnectionSettings sourceSettings, targetSettings;
            SyncOptions options;
            TimeSpan pause;
            try
            {
                if (!source.IsGiven(parse) || !target.IsGiven(parse))
                {
                    throw new FormatException("sync needs both sides: --source-brokers (or --source-context) and --target-brokers (or --target-context)");
                }
                sourceSettings = source.Build(parse, context);
                targetSettings = target.Build(parse, context);
                pause = ParseInterval(parse.GetValue(interval)!);
                var mode = ParseTranslate(parse.GetValue(translate));
                if (mode == TranslateMode.Mm2 && parse.GetValue(sourceAlias) is null)
                {
                    throw new FormatException("--translate mm2 needs --source-alias (the source cluster's alias in MirrorMaker 2's configuration)");
                }
                options = new SyncOptions
                {
                    Filter = filters.Build(parse),
                    Translate = mode,
                    SourceAlias = parse.GetValue(sourceAlias),
                    AllowRewind = parse.GetValue(allowRewind),
                    Concurrency = Math.Max(1, parse.GetValue(concurrency)),
                    SourceName = sourceSettings.BootstrapServers,
                };
            }
            catch (FormatException e)
            {
                return await CommandErrors.UsageAsync(context, parse, e.Message);
            }
            var statePath = parse.GetValue(stateFile);
            SyncState state;
            try
            {
                state = statePath is null ? new SyncState() : SyncStateFile.Load(statePath);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
            var sayLock = new Lock();
            void Say(string line)
            {
                lock (sayLock)
                {
                    context.Error.WriteLine($"kmap: {line}");
                }
            }
            SyncMetrics? metrics = null;
            try
            {
                if (parse.GetValue(metricsListen) is { } listen)
                {
                    metrics = SyncMetrics.Start(listen);
                    Say($"metrics at http://{listen}/metrics");
                }
            }
            catch (FormatException e)
            {
                return await CommandErrors.UsageAsync(context, parse, e.Message);
            }
            catch (IOException e)
            {
                await context.Error.WriteLineAsync($"kmap: {e.Message}");
                return ExitCodes.Failure;
            }
            using var metricsServer = metrics;
            if (state.HandedOver.Count > 0)
            {
                Say($"{state.HandedOver.Count} group(s) handed over to the target in earlier runs (from {statePath}), not written: "
                    + string.Join(", ", state.HandedOver.Keys.Order(StringComparer.Ordinal).Take(20)) + (state.HandedOver.Count > 20 ? ", …" : ""));
            }
            using var interrupt = new InterruptSignal(cancellationToken, () => Say("interrupted: finishing the commits in flight, then exiting (Ctrl-C again to quit at once)"));
            var loop = new SyncLoop(context, sourceSettings, targetSettings, options, state, statePath, metrics, Say);
            return await loop.RunAsync(parse.GetValue(once), pause, interrupt.Token);
        });
        return command;
    }

    internal static TranslateMode ParseTranslate(string? text) => text?.ToLowerInvariant() switch
    {
        "auto" or null => TranslateMode.Auto,
        "offset" => TranslateMode.Offset,
        "timestamp" => TranslateMode.Timestamp,
        "mm2" => TranslateMode.Mm2,
        var other => throw new FormatException($"--translate {other}: use offset, timestamp, mm2 or auto"),
    };

    /// <summary>"30s", "500ms", "5m", "1h" (or a number of seconds).</summary>
    internal static TimeSpan ParseInterval(string text)
    {
        var match = IntervalPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"--interval {text}: give a duration such as 30s, 500ms, 5m or 1h");
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "m" => TimeSpan.FromMinutes(value),
            "h" => TimeSpan.FromHours(value),
            _ => TimeSpan.FromSeconds(value),
        };
        if (span < TimeSpan.FromMilliseconds(100) || span > TimeSpan.FromDays(1))
        {
            throw new FormatException($"--interval {text}: between 100ms and 24h");
        }
        return span;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$")]
    private static partial Regex IntervalPattern();
}
