using System.Text;

namespace Kmap.Cli.Commands.ConsumerGroups;

/// <summary>Left-aligned columns separated by one space, as kafka-consumer-groups.sh prints them.</summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Count ? r[i].Length : 0))).ToArray();
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        foreach (var row in rows)
        {
            AppendRow(text, row, widths);
        }
        return text.ToString();
    }

    /// <summary>
    /// Like <see cref="Render"/>, for tables too big to hold: <paramref name="rows"/> is enumerated twice (widths, then
    /// lines) and the text goes to <paramref name="writer"/> in 64 KiB pieces, so no row list or whole-table string exists.
    /// </summary>
    public static async Task WriteAsync(TextWriter writer, IReadOnlyList<string> headers, Func<IEnumerable<IReadOnlyList<string>>> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in rows())
        {
            for (var i = 0; i < row.Count && i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var text = new StringBuilder();
        AppendRow(text, headers, widths);
        foreach (var row in rows())
        {
            AppendRow(text, row, widths);
            if (text.Length >= 64 * 1024)
            {
                await writer.WriteAsync(text.ToString());
                text.Clear();
            }
        }
        await writer.WriteAsync(text.ToString());
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            line.Append(i == cells.Count - 1 ? cells[i] : cells[i].PadRight(widths[i] + 1));
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
