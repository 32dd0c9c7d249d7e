using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kmap.Core.Cluster;
using Kmap.Core.ClusterMap;
using Kmap.Core.Config;
using Kmap.Kafka;
using Map = Kmap.Core.ClusterMap.ClusterMap;

namespace Kmap.Cli.Commands;

/// <summary>
/// `kmap compare A B`: two clusters, each a cluster JSON or a live cluster, compared as a migration is
/// checked. Exit 0 when equal, 3 when different (replaces the Go tool's compare-clusters.sh).
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = new Argument<string[]>("cluster-json") { Description = "cluster JSON files (kmap -output); a live side comes from --source-brokers/--source-context or --target-brokers/--target-context", Arity = new ArgumentArity(0, 2) };
        var source = ConnectionOptions.ForSide("source");
        var target = ConnectionOptions.ForSide("target");
        var json = new Option<bool>("--json") { Description = "print the differences as JSON (same as --format json)" };
        var format = OutputFormat.Create();
        var skip = new Option<string?>("--skip") { Description = "leave out checks: any of topics,configs,messages,groups (comma-separated)" };
        var command = new Command("compare", """
            Compare two clusters: topics, partitions, replication factors, topic-level configs, message
            counts (log end minus start) and committed group offsets. Kafka's internal topics are left out.

            Each live side has its own connection: --SIDE-brokers, --SIDE-context (a context of `kmap
            config`), --SIDE-command-config, --SIDE-security-protocol, --SIDE-sasl-*, --SIDE-tls-*, and its
            password may come from KMAP_SOURCE_SASL_PASSWORD / KMAP_TARGET_SASL_PASSWORD. KMAP_CONTEXT,
            KMAP_BROKERS and KMAP_SASL_PASSWORD are not used: they would name one cluster for both sides.

            Examples:
              kmap compare before.json after.json
              kmap compare source.json --target-brokers target:9092 --skip messages,groups
              kmap compare --source-context prod --target-context dr --format json
              kmap compare --source-brokers a:9092 --target-brokers b:9093 --target-command-config b.properties

            When the two clusters hold the same records at other offsets (after MirrorMaker 2, a replay or
            `kmap restore --translate`), a group offset that differs as a number but points at the same place
            is shown with a NOTE and not counted when both sides are live and record times say so: the
            record each side reads next has the same time, or both are caught up and their last records do.

            Exit status: 0 equal, 3 different, 1 failure, 2 usage error.
            """)
        {
            files, json, format, skip,
        };
        source.AddTo(command);
        target.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = new Queue<string>(parse.GetValue(files) ?? []);
            var expected = (source.IsGiven(parse) ? 0 : 1) + (target.IsGiven(parse) ? 0 : 1);
            if (paths.Count != expected)
            {
                await context.Error.WriteLineAsync($"kmap compare: give two sides: {expected} cluster JSON file(s) besides --source-brokers/--source-context and --target-brokers/--target-context, got {paths.Count}");
                return ExitCodes.Usage;
            }
            var asJson = parse.GetValue(json) || parse.GetValue(format) == OutputFormat.Json;
            if (parse.GetValue(json) && parse.GetResult(format) is { Implicit: false } && parse.GetValue(format) == OutputFormat.Table)
            {
                await context.Error.WriteLineAsync("kmap compare: --json and --format table contradict each other; give one");
                return ExitCodes.Usage;
            }
            CompareOptions options;
            try
            {
                options = ReadSkip(parse.GetValue(skip));
            }
            catch (FormatException e)
            {
                await context.Error.WriteLineAsync($"kmap compare: {e.Message}");
                return ExitCodes.Usage;
            }
            Map sourceMap, targetMap;
            ConnectionSettings? sourceSettings, targetSettings;
            try
            {
                (sourceMap, sourceSettings) = await ReadSideAsync(source, parse, paths, context, cancellationToken);
                (targetMap, targetSettings) = await ReadSideAsync(target, parse, paths, context, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                await context.Error.WriteLineAsync($"kmap compare: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (ClusterException e)
            {
                await context.Error.WriteLineAsync($"kmap compare: {e.Message}");
                return ExitCodes.Failure;
            }
            IReadOnlyList<ClusterDifference> differences;
            try
            {
                // Offsets that differ as numbers but point at the same records (a translated restore) are marked, not counted.
                differences = await TranslatedOffsets.MarkAsync(ClusterComparison.Compare(sourceMap, targetMap, options), sourceMap, targetMap,
                    sourceSettings is null ? null : new KafkaRecordReader(sourceSettings), targetSettings is null ? null : new KafkaRecordReader(targetSettings),
                    cancellationToken);
            }
            catch (ClusterException e)
            {
                await context.Error.WriteLineAsync($"kmap compare: reading the record times at the groups' offsets: {e.Message}");
                return ExitCodes.Failure;
            }
            await context.Out.WriteAsync(asJson ? Json(sourceMap, targetMap, differences) : Table(sourceMap, targetMap, differences));
            return differences.All(d => d.Equivalence is not null) ? ExitCodes.Success : ExitCodes.Partial;
        });
        return command;
    }

    private static CompareOptions ReadSkip(string? skip)
    {
        var options = new CompareOptions();
        foreach (var item in (skip ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options = item switch
            {
                "topics" => options with { Topics = false },
                "configs" => options with { Configs = false },
                "messages" => options with { Messages = false },
                "groups" => options with { Groups = false },
                _ => throw new FormatException($"--skip: unknown check '{item}' (topics, configs, messages, groups)"),
            };
        }
        return options;
    }

    /// <summary>A side's map, and its connection when it is live (record times are read there).</summary>
    private static async Task<(Map Map, ConnectionSettings? Settings)> ReadSideAsync(ConnectionOptions side, ParseResult parse, Queue<string> paths, CliContext context, CancellationToken cancellationToken)
    {
        if (!side.IsGiven(parse))
        {
            var path = paths.Dequeue();
            try
            {
                return (ClusterMapJson.Deserialize(await File.ReadAllTextAsync(path, cancellationToken)), null);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{path}: {e.Message}", e);
            }
        }
        var settings = side.Build(parse, context);
        using var admin = new KafkaAdmin(settings, log: m => context.Error.WriteLine($"kmap: {m}"));
        return (await new ClusterMapReader(admin, context.Time).ReadAsync(settings.BootstrapServers, cancellationToken), settings);
    }

    private static string Table(Map source, Map target, IReadOnlyList<ClusterDifference> differences)
    {
        var text = new StringBuilder();
        text.Append($"Source: {source.Cluster}\nTarget: {target.Cluster}\n");
        if (differences.Count == 0)
        {
            return text.Append("The clusters are equal.\n").ToString();
        }
        var equivalents = differences.Count(d => d.Equivalence is not null);
        string[] header = equivalents == 0 ? ["KIND", "SUBJECT", "SOURCE", "TARGET"] : ["KIND", "SUBJECT", "SOURCE", "TARGET", "NOTE"];
        var rows = differences.Select(d => new[] { d.Kind, d.Subject, d.Source ?? "(absent)", d.Target ?? "(absent)", d.Equivalence ?? "" }.Take(header.Length).ToArray()).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            text.Append(string.Join("  ", row.Select((c, i) => i == row.Length - 1 ? c : c.PadRight(widths[i])))).Append('\n');
        }
        if (equivalents == 0)
        {
            return text.Append($"{differences.Count} difference(s).\n").ToString();
        }
        var real = differences.Count - equivalents;
        text.Append(real == 0 ? "The clusters are equal" : $"{real} difference(s)");
        return text.Append($"; {equivalents} group offset(s) differ as numbers only: the same position in each cluster's log (NOTE).\n").ToString();
    }

    private static string Json(Map source, Map target, IReadOnlyList<ClusterDifference> differences)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("source", source.Cluster);
            json.WriteString("target", target.Cluster);
            json.WriteBoolean("equal", differences.All(d => d.Equivalence is not null));
            json.WriteNumber("translated_equivalents", differences.Count(d => d.Equivalence is not null));
            json.WriteStartArray("differences");
            foreach (var d in differences)
            {
                json.WriteStartObject();
                json.WriteString("kind", d.Kind);
                json.WriteString("subject", d.Subject);
                json.WriteString("source", d.Source);
                json.WriteString("target", d.Target);
                if (d.Equivalence is not null)
                {
                    json.WriteString("equivalent", d.Equivalence);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
