using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The self-contained HTML report (`-html FILE`): one file, inline CSS/JS/SVG, no network. The cluster
/// data travels as JSON in a script element (with '&lt;', '&gt;' and '&amp;' escaped, so no name can
/// close it) and the page sets every name with textContent.
/// </summary>
public static partial class ClusterReportHtml
{
    private const string TemplateResource = "Kmap.Core.ClusterMap.ClusterReport.html";

    public static string Render(ClusterMap map, string kmapVersion)
    {
        ArgumentNullException.ThrowIfNull(map);
        var data = DataJson(map, kmapVersion);
        var title = WebUtility.HtmlEncode(map.Cluster);
        // One pass over the template: a value that happens to contain a token is never expanded again.
        return Token().Replace(Template.Value, m => m.Groups[1].Value == "DATA" ? data : title);
    }

    private static string DataJson(ClusterMap map, string kmapVersion)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            json.WriteStartObject();
            json.WriteString("version", kmapVersion);
            json.WriteString("caveat", MessageCounts.Caveat);
            json.WriteStartArray("warnings");
            foreach (var warning in ClusterWarnings.Of(map))
            {
                json.WriteStringValue(warning);
            }
            json.WriteEndArray();
            json.WritePropertyName("map");
            json.WriteRawValue(ClusterMapJson.SerializeForHtml(map), skipInputValidation: true);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(ClusterReportHtml).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"the report template {TemplateResource} is missing from the build");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    [GeneratedRegex("@@(TITLE|DATA)@@")]
    private static partial Regex Token();
}
