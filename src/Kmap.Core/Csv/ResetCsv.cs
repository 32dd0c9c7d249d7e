using System.Globalization;
using System.Text;

namespace Kmap.Core.Csv;

/// <summary>
/// The CSV that kafka-consumer-groups.sh reads with --from-file and writes with --export: no header;
/// `topic,partition,offset` when exactly one --group is given, `group,topic,partition,offset` otherwise.
/// Fields may be double-quoted (RFC 4180); Kafka splits the file on '\n' first, so a field cannot span lines.
/// </summary>
public static class ResetCsv
{
    /// <summary>
    /// Parses as Kafka does: when exactly one group is named and the first line has three columns,
    /// every line is `topic,partition,offset` for that group; otherwise every line must have four columns.
    /// </summary>
    public static IReadOnlyList<ResetCsvRow> Parse(string text, string? singleGroup)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n')
            .Select((line, index) => (Text: line.TrimEnd('\r'), Number: index + 1))
            .Where(l => l.Text.Trim().Length > 0)
            .ToList();
        if (lines.Count == 0)
        {
            return [];
        }
        var threeColumns = singleGroup is not null && SplitFields(lines[0].Text, lines[0].Number).Count == 3;
        var rows = new List<ResetCsvRow>(lines.Count);
        foreach (var (line, number) in lines)
        {
            var fields = SplitFields(line, number);
            if (threeColumns)
            {
                Expect(fields, 3, number, "topic,partition,offset");
                rows.Add(new ResetCsvRow(singleGroup, fields[0], ParseInt(fields[1], number), ParseLong(fields[2], number)));
            }
            else
            {
                Expect(fields, 4, number, "group,topic,partition,offset (four columns are needed unless exactly one --group is given)");
                rows.Add(new ResetCsvRow(fields[0], fields[1], ParseInt(fields[2], number), ParseLong(fields[3], number)));
            }
        }
        return rows;
    }

    /// <summary>Writes rows in Kafka's export form: three columns when <paramref name="withGroup"/> is false.</summary>
    public static string Write(IEnumerable<ResetCsvRow> rows, bool withGroup)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            if (withGroup)
            {
                text.Append(Quote(row.Group ?? "")).Append(',');
            }
            text.Append(Quote(row.Topic)).Append(',')
                .Append(row.Partition.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.Offset.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.IndexOfAny([',', '"', '\n', '\r']) >= 0 || field != field.Trim()
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;
    }

    private static List<string> SplitFields(string line, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new FormatException($"line {number}: a quoted field is not closed");
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                if (i < line.Length && line[i] != ',')
                {
                    throw new FormatException($"line {number}: unexpected text after a quoted field");
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    field.Append(line[i++]);
                }
            }
            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }
            i++; // the comma
        }
    }

    private static void Expect(List<string> fields, int count, int number, string shape)
    {
        if (fields.Count != count)
        {
            throw new FormatException($"line {number}: expected {count} columns ({shape}), found {fields.Count}");
        }
    }

    private static int ParseInt(string text, int number) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new FormatException($"line {number}: '{text}' is not a partition number");

    private static long ParseLong(string text, int number) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"line {number}: '{text}' is not an offset");
}
