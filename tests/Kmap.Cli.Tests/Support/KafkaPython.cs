namespace Kmap.Cli.Tests.Support;

/// <summary>kafka-python (Debian's, under /usr/bin/python3) as the independent judge of committed offsets.</summary>
public static class KafkaPython
{
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Support", "kafka_python_offsets.py");

    private static async Task<string> RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", [Script, .. args]);
        Assert.True(result.ExitCode == 0, $"kafka-python {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    public static Task ProduceAsync(string bootstrap, string topic, int partitions, int count) =>
        RunAsync("produce", bootstrap, topic, partitions.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>COUNT records to partition 0, one second apart from <paramref name="start"/>.</summary>
    public static Task ProduceAtAsync(string bootstrap, string topic, DateTimeOffset start, int count) =>
        RunAsync("produce-at", bootstrap, topic, start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Task CommitAsync(string bootstrap, string group, params (string Topic, int Partition, long Offset)[] offsets) =>
        RunAsync(["commit", bootstrap, group, .. offsets.Select(o => $"{o.Topic}:{o.Partition}={o.Offset}")]);

    /// <summary>Committed offset per "topic:partition"; null when the group has none there.</summary>
    public static async Task<Dictionary<string, long?>> CommittedAsync(string bootstrap, string group, params string[] partitions)
    {
        var output = await RunAsync(["committed", bootstrap, group, .. partitions]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=')).ToDictionary(
            p => p[0], p => p[1] == "none" ? (long?)null : long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Records PREFIX-FIRST … PREFIX-(FIRST+COUNT-1) on one partition, record i timestamped START + i seconds.</summary>
    public static Task ProduceTimedAsync(string bootstrap, string topic, int partition, string prefix, int first, int count, DateTimeOffset start) =>
        RunAsync("produce-timed", bootstrap, topic, I(partition), prefix, I(first), I(count), start.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The value of the record the group reads next from each "topic:partition" ("END" when caught up).</summary>
    public static async Task<Dictionary<string, string>> NextAsync(string bootstrap, string group, params string[] partitions)
    {
        var output = await RunAsync(["next", bootstrap, group, .. partitions]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>One MirrorMaker 2 checkpoint, encoded by kafka-python as MM2 encodes it (not by kmap's decoder's code).</summary>
    public static Task CheckpointAsync(string bootstrap, string checkpointsTopic, string group, string topic, int partition, long upstream, long downstream) =>
        RunAsync("checkpoint", bootstrap, checkpointsTopic, group, topic, I(partition), upstream.ToString(System.Globalization.CultureInfo.InvariantCulture), downstream.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string I(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
