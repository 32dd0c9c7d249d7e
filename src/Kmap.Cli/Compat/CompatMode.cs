using Kmap.Cli.Commands.ClusterMap;
using Kmap.Core.Backup;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Core.Scripts;
using Kmap.Kafka;

namespace Kmap.Cli.Compat;

/// <summary>
/// The Go tool's one-shot mode: `kmap -brokers B -save-offsets F -restore-offsets-script S`.
/// Parses the flags, runs one backup, writes exactly the requested files.
/// </summary>
internal static class CompatMode
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken cancellationToken)
    {
        var parsed = CompatCommandLine.Parse(args);
        if (parsed.Error is not null)
        {
            return await UsageErrorAsync(context, SecretRedaction.Redact(parsed.Error, args, context.Environment));
        }
        if (parsed.Flag(CompatFlags.Help))
        {
            await context.Out.WriteAsync(CompatUsage.Text());
            return ExitCodes.Success;
        }
        if (parsed.Flag(CompatFlags.Version))
        {
            await context.Out.WriteLineAsync($"kmap {KmapApp.Version}");
            return ExitCodes.Success;
        }
        var unsupported = CompatFlags.All.Where(f => f.NotYetSupported && parsed.IsSet(f.Name)).Select(f => "-" + f.Name).ToList();
        if (unsupported.Count > 0)
        {
            return await UsageErrorAsync(context, $"{string.Join(", ", unsupported)}: not yet supported by this version of kmap");
        }
        var jsonPath = parsed.Get(CompatFlags.SaveOffsets);
        var scriptPath = parsed.Get(CompatFlags.RestoreOffsetsScript);
        // With no output flag at all, the Go tool wrote the cluster JSON and HTML report under their default names.
        var mapRequest = MapRequest(parsed) ?? (jsonPath is null && scriptPath is null ? ClusterMapRequest.Defaults : null);
        if (mapRequest is not null)
        {
            try
            {
                mapRequest = mapRequest with
                {
                    LagSampleInterval = parsed.Get(CompatFlags.LagSampleInterval) is { } interval ? LagSampleInterval.Parse(interval) : LagSampleInterval.Default,
                    PreviousPath = parsed.Get(CompatFlags.Previous),
                };
            }
            catch (FormatException e)
            {
                return await UsageErrorAsync(context, e.Message.Replace("--lag-sample-interval", "-lag-sample-interval", StringComparison.Ordinal));
            }
        }

        ConnectionSettings settings;
        try
        {
            settings = ConnectionSettingsBuilder.Build(ReadAuthFlags(parsed), context.Environment, File.ReadAllText, m => context.Error.WriteLine(m));
        }
        catch (FormatException e)
        {
            return await UsageErrorAsync(context, e.Message);
        }

        var timeout = TimeSpan.FromSeconds(30);
        if (parsed.Get(CompatFlags.Timeout) is { } timeoutText)
        {
            if (!int.TryParse(timeoutText.TrimEnd('s'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 3600)
            {
                return await UsageErrorAsync(context, $"-timeout {timeoutText}: give whole seconds from 1 to 3600");
            }
            timeout = TimeSpan.FromSeconds(seconds);
        }

        KafkaAdmin admin;
        try
        {
            admin = new KafkaAdmin(settings, timeout, log: m => context.Error.WriteLine($"kmap: {m}"));
        }
        catch (ClusterException e)
        {
            await context.Error.WriteLineAsync($"kmap: {e.Message}");
            return ExitCodes.Failure;
        }
        using var client = admin;
        var mapExit = mapRequest is null ? ExitCodes.Success : await ClusterMapRun.RunAsync(admin, settings, mapRequest, context, cancellationToken);
        if (jsonPath is null && scriptPath is null)
        {
            return mapExit;
        }
        var service = new OffsetBackupService(admin, context.Time);
        BackupResult result;
        try
        {
            result = await service.BackupAsync(new BackupOptions(settings.BootstrapServers)
            {
                AllowPartial = parsed.Flag(CompatFlags.AllowPartial),
                Progress = ProgressReporter.For(context, "reading committed offsets", "groups") is { } progress ? progress.Report : null,
            }, cancellationToken);
        }
        catch (ClusterException e)
        {
            await context.Error.WriteLineAsync($"kmap: {e.Message}");
            return ExitCodes.Failure;
        }

        var scriptOptions = new RestoreScriptOptions { KmapPath = context.KmapPath, KmapVersion = KmapApp.Version };
        try
        {
            await BackupFiles.WriteAsync(result.Backup, jsonPath, scriptPath, scriptOptions, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            await context.Error.WriteLineAsync($"kmap: cannot write the backup: {e.Message}");
            return ExitCodes.Failure;
        }
        await BackupReport.WriteAsync(context.Error, result, jsonPath, scriptPath);
        return result.IsComplete && mapExit == ExitCodes.Success ? ExitCodes.Success
            : mapExit == ExitCodes.Failure ? ExitCodes.Failure : ExitCodes.Partial;
    }

    /// <summary>The cluster-map outputs asked for, or null when none was.</summary>
    private static ClusterMapRequest? MapRequest(CompatParseResult parsed)
    {
        var request = new ClusterMapRequest
        {
            JsonPath = ClusterMapRequest.JsonOutput(parsed.Get(CompatFlags.Output)),
            HtmlPath = parsed.Get(CompatFlags.Html),
            DotPath = parsed.Get(CompatFlags.Dot),
            RecreateScriptPath = parsed.Get(CompatFlags.RecreateScript),
            TopicSizes = parsed.Flag(CompatFlags.TopicSizes),
            TopicSizesPath = parsed.Get(CompatFlags.TopicSizesOutput),
            TopicList = ClusterMapRequest.ParseTopicList(parsed.Get(CompatFlags.TopicList)),
        };
        var asked = request.JsonPath is not null || request.HtmlPath is not null || request.DotPath is not null
            || request.RecreateScriptPath is not null || request.WantsSizes;
        // -topic-list alone means "size these topics".
        return asked ? request : request.TopicList is not null ? request with { TopicSizes = true } : null;
    }

    private static AuthFlags ReadAuthFlags(CompatParseResult parsed) => new()
    {
        BootstrapServers = parsed.Get(CompatFlags.Brokers),
        SecurityProtocol = parsed.Get(CompatFlags.SecurityProtocol),
        SaslMechanism = parsed.Get(CompatFlags.SaslMechanism),
        SaslUsername = parsed.Get(CompatFlags.SaslUsername),
        SaslPassword = parsed.Get(CompatFlags.SaslPassword),
        TlsCa = parsed.Get(CompatFlags.TlsCa),
        TlsCert = parsed.Get(CompatFlags.TlsCert),
        TlsKey = parsed.Get(CompatFlags.TlsKey),
        TlsSkipVerify = parsed.Flag(CompatFlags.TlsSkipVerify),
        CommandConfig = parsed.Get(CompatFlags.CommandConfig),
        Context = parsed.Get(CompatFlags.Context),
    };

    private static async Task<int> UsageErrorAsync(CliContext context, string message)
    {
        await context.Error.WriteLineAsync($"kmap: {message}");
        await context.Error.WriteLineAsync("Run 'kmap -help' for the flags.");
        return ExitCodes.Usage;
    }
}
