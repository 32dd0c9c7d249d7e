using Kmap.Core.Sync;
using Prometheus;

namespace Kmap.Cli.Commands.Sync;

/// <summary>
/// `kmap sync --metrics-listen HOST:PORT`: Prometheus text at http://HOST:PORT/metrics (prometheus-net's MetricServer,
/// an HttpListener). Its own registry, so only kmap_ metrics are served and two runs in one process do not mix.
/// The lag series of a group that leaves the sync is removed: the series follow the groups synced now.
/// </summary>
internal sealed class SyncMetrics : IDisposable
{
    private readonly MetricServer server;
    private readonly Counter rounds;
    private readonly Gauge roundSeconds;
    private readonly Gauge lastSuccess;
    private readonly Gauge groups;
    private readonly Counter groupsWritten;
    private readonly Counter partitionsWritten;
    private readonly Gauge partitionsUnchanged;
    private readonly Counter partitionsSkipped;
    private readonly Counter errors;
    private readonly Counter handedOver;
    private readonly Gauge lag;
    private HashSet<string> lagGroups = new(StringComparer.Ordinal);

    private SyncMetrics(string host, int port)
    {
        var registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(registry);
        rounds = factory.CreateCounter("kmap_sync_rounds_total", "Rounds run, by result (ok, failed, interrupted)", "result");
        roundSeconds = factory.CreateGauge("kmap_sync_round_duration_seconds", "How long the last round took");
        lastSuccess = factory.CreateGauge("kmap_sync_last_success_timestamp_seconds", "Unix time at which the last successful round ended");
        groups = factory.CreateGauge("kmap_sync_groups", "Groups in the last round: synced (looked at), written, not_synced (refused or failed), handed_over (in all)", "state");
        groupsWritten = factory.CreateCounter("kmap_sync_groups_written_total", "Group commits written on the target");
        partitionsWritten = factory.CreateCounter("kmap_sync_partitions_written_total", "Partition offsets written on the target (moved)");
        partitionsUnchanged = factory.CreateGauge("kmap_sync_partitions_unchanged", "Partitions already at the translated position in the last round");
        partitionsSkipped = factory.CreateCounter("kmap_sync_partitions_skipped_total", "Partitions not written, by reason", "reason");
        errors = factory.CreateCounter("kmap_sync_errors_total", "Errors by kind: round (a cluster could not be read or written), read (a source group), write (a target group), refused", "kind");
        handedOver = factory.CreateCounter("kmap_sync_groups_handed_over_total", "Groups handed over to the target in this run (active there, or moved by another client)");
        lag = factory.CreateGauge("kmap_sync_translation_lag_seconds",
            "Per group: seconds between the record it reads next on the source and the one its target position points at", "group");
        server = new MetricServer(host, port, "metrics/", registry);
    }

    /// <summary>Starts serving; FormatException for a bad HOST:PORT, IOException when the port cannot be bound.</summary>
    public static SyncMetrics Start(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"--metrics-listen {listen}: give HOST:PORT, e.g. 127.0.0.1:9464");
        }
        var metrics = new SyncMetrics(listen[..colon].Trim('[', ']'), port);
        try
        {
            metrics.server.Start();
        }
        catch (Exception e) when (e is System.Net.HttpListenerException or InvalidOperationException)
        {
            metrics.Dispose();
            throw new IOException($"--metrics-listen {listen}: cannot listen there ({e.Message}); choose another port", e);
        }
        return metrics;
    }

    public void RoundDone(SyncRoundResult result, TimeSpan took, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        rounds.WithLabels(result.Interrupted ? "interrupted" : "ok").Inc();
        roundSeconds.Set(took.TotalSeconds);
        lastSuccess.Set(now.ToUnixTimeMilliseconds() / 1000.0);
        groups.WithLabels("synced").Set(result.Groups);
        groups.WithLabels("written").Set(result.GroupsWritten);
        groups.WithLabels("not_synced").Set(result.GroupsNotSynced);
        groups.WithLabels("handed_over").Set(result.HandedOverTotal);
        groupsWritten.Inc(result.GroupsWritten);
        partitionsWritten.Inc(result.PartitionsWritten);
        partitionsUnchanged.Set(result.PartitionsUnchanged);
        foreach (var (reason, count) in result.Skipped)
        {
            partitionsSkipped.WithLabels(SyncRoundLine.Name(reason)).Inc(count);
        }
        errors.WithLabels("read").Inc(result.ReadFailures);
        errors.WithLabels("write").Inc(result.GroupsFailed);
        errors.WithLabels("refused").Inc(result.GroupsRefused);
        handedOver.Inc(result.HandedOverNow.Count);
        var current = new HashSet<string>(result.TranslationLag.Keys, StringComparer.Ordinal);
        foreach (var (group, seconds) in result.TranslationLag)
        {
            lag.WithLabels(group).Set(seconds);
        }
        foreach (var gone in lagGroups.Where(g => !current.Contains(g)))
        {
            lag.RemoveLabelled(gone);
        }
        lagGroups = current;
    }

    public void RoundFailed(TimeSpan took)
    {
        rounds.WithLabels("failed").Inc();
        roundSeconds.Set(took.TotalSeconds);
        errors.WithLabels("round").Inc();
    }

    public void Dispose() => server.Dispose();
}
