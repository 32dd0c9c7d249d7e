using System.Globalization;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Kafka;
using Map = Kmap.Core.ClusterMap.ClusterMap;

namespace Kmap.Cli.Commands.ClusterMap;

/// <summary>Reads a cluster once and writes every requested view of it (shared by the compat mode and `kmap report`).</summary>
internal static class ClusterMapRun
{
    public static async Task<int> RunAsync(KafkaAdmin admin, ConnectionSettings settings, ClusterMapRequest request, CliContext context, CancellationToken cancellationToken)
    {
        if (context.ShowProgress)
        {
            await context.Error.WriteLineAsync($"kmap: mapping {settings.BootstrapServers}...");
        }
        Map? previous = null;
        if (request.PreviousPath is { } previousPath && request.WantsLagGrowth)
        {
            try
            {
                previous = ClusterMapJson.Deserialize(await File.ReadAllTextAsync(previousPath, cancellationToken));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                await context.Error.WriteLineAsync($"kmap: --previous {previousPath}: {e.Message}");
                return ExitCodes.Usage;
            }
        }
        Map map;
        var exitAfterMap = ExitCodes.Success;
        var reader = new ClusterMapReader(admin, context.Time)
        {
            GroupProgress = ProgressReporter.For(context, "mapping: reading committed offsets", "groups") is { } progress ? progress.Report : null,
        };
        try
        {
            map = await reader.ReadAsync(settings.BootstrapServers, cancellationToken);
            if (previous is { IsGoToolFile: true })
            {
                // Its groups have no committed offsets: every lag would look like growth since then.
                await context.Error.WriteLineAsync(
                    $"kmap: --previous {request.PreviousPath} is a cluster JSON of the Go tool, which has no committed offsets: no lag growth measured; give a map written by kmap");
                exitAfterMap = ExitCodes.Partial;
            }
            else if (previous is not null && previous.ClusterId is { } previousId && map.ClusterId is { } id && previousId != id)
            {
                await context.Error.WriteLineAsync(
                    $"kmap: --previous {request.PreviousPath} maps cluster {previousId}, not {id} ({map.Cluster}): no lag growth measured; give a map of this cluster");
                exitAfterMap = ExitCodes.Partial;
            }
            else if (previous is not null)
            {
                map = LagGrowth.SincePrevious(map, previous);
            }
            else if (request.WantsLagGrowth && request.LagSampleInterval > TimeSpan.Zero)
            {
                map = await SampleLagAgainAsync(reader, map, request.LagSampleInterval, context, cancellationToken);
            }
        }
        catch (ClusterException e)
        {
            await context.Error.WriteLineAsync($"kmap: {e.Message}");
            return ExitCodes.Failure;
        }
        var exit = exitAfterMap;
        if (request.WantsSizes)
        {
            try
            {
                var sizes = await new TopicSizeReader(admin, settings).ReadAsync(request.TopicList, cancellationToken);
                map = WithSizes(map, sizes);
                var messages = map.Topics.ToDictionary(t => t.Name, t => t.MessageCount, StringComparer.Ordinal);
                if (request.TopicSizes)
                {
                    await context.Out.WriteAsync(request.TopicSizesJson ? TopicSizeReport.Json(sizes, messages, map.Cluster, map.Timestamp) : TopicSizeReport.Table(sizes, messages));
                    await context.Error.WriteLineAsync($"kmap: {MessageCounts.Caveat}");
                }
                if (request.TopicSizesPath is not null)
                {
                    await WriteAsync(context, request.TopicSizesPath, TopicSizeReport.Json(sizes, messages, map.Cluster, map.Timestamp), "topic sizes", null, cancellationToken);
                }
                var missing = request.TopicList?.Where(t => sizes.All(s => s.Topic != t)).ToList() ?? [];
                if (missing.Count > 0)
                {
                    await context.Error.WriteLineAsync($"kmap: -topic-list names topics this cluster does not have: {string.Join(", ", missing)}");
                    exit = ExitCodes.Partial;
                }
            }
            catch (ClusterException e)
            {
                await context.Error.WriteLineAsync($"kmap: cannot read topic sizes: {e.Message}");
                exit = ExitCodes.Partial;
            }
        }
        try
        {
            if (request.JsonPath is not null)
            {
                await WriteAsync(context, request.JsonPath, ClusterMapJson.Serialize(map), "cluster JSON", null, cancellationToken);
            }
            if (request.HtmlPath is not null)
            {
                await WriteAsync(context, request.HtmlPath, ClusterReportHtml.Render(map, KmapApp.Version), "HTML report", null, cancellationToken);
            }
            if (request.DotPath is not null)
            {
                await WriteAsync(context, request.DotPath, ClusterGraphviz.Render(map), "Graphviz graph", null, cancellationToken);
            }
            if (request.Table)
            {
                await context.Out.WriteAsync(ClusterMapTable.Render(map));
            }
            if (request.RecreateScriptPath is not null)
            {
                await WriteAsync(context, request.RecreateScriptPath, RecreateScriptWriter.Write(map, KmapApp.Version, context.KmapPath), "topic recreation script", AtomicFile.Executable, cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            await context.Error.WriteLineAsync($"kmap: cannot write the cluster map: {e.Message}");
            return ExitCodes.Failure;
        }
        var totals = map.Totals;
        await context.Error.WriteLineAsync(
            $"kmap: {totals.Brokers} brokers, {totals.Topics} topics, {totals.Partitions} partitions ({totals.UnderReplicatedPartitions} under-replicated, {totals.OfflinePartitions} offline), {totals.ConsumerGroups} groups, {totals.Messages} messages");
        return exit;
    }

    /// <summary>
    /// Waits until the interval has passed since the first sample's log end offsets were read (on a large
    /// cluster, reading the rest of it already took that long), then reads the groups' lag again.
    /// </summary>
    private static async Task<Map> SampleLagAgainAsync(ClusterMapReader reader, Map map, TimeSpan interval, CliContext context, CancellationToken cancellationToken)
    {
        if (map.ConsumerGroups.All(g => g.Offsets.Count == 0))
        {
            return map;
        }
        var first = map.OffsetsReadAt ?? map.Timestamp;
        var wait = first + interval - context.Time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"kmap: sampling consumer-group lag again in {wait.TotalSeconds:0.#} s to see which lag grows (asked for by --lag-sample-interval)"));
            await Task.Delay(wait, context.Time, cancellationToken);
        }
        var (at, groups) = await reader.ReadLagSampleAsync(map.ConsumerGroups, cancellationToken);
        return LagGrowth.Apply(map, LagGrowth.SampleBasis, map.ConsumerGroups, first, groups, at);
    }

    internal static Map WithSizes(Map map, IReadOnlyList<TopicSize> sizes)
    {
        var bySize = sizes.ToDictionary(s => s.Topic, StringComparer.Ordinal);
        return map with
        {
            Topics = map.Topics.Select(t => bySize.TryGetValue(t.Name, out var s) ? t with { SizeBytes = s.SizeBytes, ReplicaBytes = s.ReplicaBytes } : t).ToList(),
        };
    }

    private static async Task WriteAsync(CliContext context, string path, string content, string what, UnixFileMode? mode, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            await context.Out.WriteAsync(content);
            return;
        }
        await AtomicFile.WriteAllTextAsync(path, content, mode, cancellationToken);
        await context.Error.WriteLineAsync($"kmap: wrote the {what} to {path}");
    }
}
