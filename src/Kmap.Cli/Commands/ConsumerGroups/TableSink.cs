using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>
/// Where --list and --describe put their tables: straight out as kafka-consumer-groups.sh prints them, or, with
/// --format json, collected and printed at the end as one JSON array of objects keyed by the column names.
/// </summary>
internal sealed class TableSink(TextWriter output, bool json)
{
    private static readonly HashSet<string> NumericColumns = new(StringComparer.Ordinal) { "partition", "current_offset", "log_end_offset", "lag", "members", "partitions" };

    private readonly List<IReadOnlyList<KeyValuePair<string, string>>> collected = [];

    public bool Json => json;

    public async Task WriteAsync(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (!json)
        {
            await output.WriteAsync(TextTable.Render(headers, rows));
            return;
        }
        var keys = headers.Select(Key).ToList();
        collected.AddRange(rows.Select(row => (IReadOnlyList<KeyValuePair<string, string>>)keys.Select((k, i) => new KeyValuePair<string, string>(k, i < row.Count ? row[i] : "-")).ToList()));
    }

    public async Task FlushAsync()
    {
        if (!json)
        {
            return;
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var row in collected)
            {
                writer.WriteStartObject();
                foreach (var (key, value) in row)
                {
                    if (value == "-")
                    {
                        writer.WriteNull(key);
                    }
                    else if (NumericColumns.Contains(key) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                    {
                        writer.WriteNumber(key, number);
                    }
                    else
                    {
                        writer.WriteString(key, value);
                    }
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>"COORDINATOR (ID)" → coordinator, "LOG-END-OFFSET" → log_end_offset, "#MEMBERS" → members.</summary>
    private static string Key(string header)
    {
        var name = header.Split(' ')[0].TrimStart('#').ToLowerInvariant();
        return name.Replace('-', '_');
    }
}
