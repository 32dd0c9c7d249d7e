using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Kmap.Core.ClusterMap;

/// <summary>
/// The cluster JSON (`-output`, `kmap report --json`): snake_case fields, the Go tool's fields under their
/// names and meanings, derived counts included for jq users, read back by `kmap compare`,
/// `kmap recreate-topics --from` and `--previous` (which also read the Go tool's files).
/// </summary>
public static class ClusterMapJson
{
    /// <summary>The Go tool's default file name, used for the bare word `json` and when no output flag is given.</summary>
    public const string DefaultFileName = "kafka-cluster-info.json";

    // Names are printed as they are (unicode included); JSON escaping still covers quotes and controls.
    private static readonly JsonTypeInfo<ClusterMap> FileTypeInfo = TypeInfo(JavaScriptEncoder.UnsafeRelaxedJsonEscaping, indented: true);

    // Inside an HTML <script> block: '<', '>' and '&' are escaped too, so no name can close the block.
    private static readonly JsonTypeInfo<ClusterMap> HtmlTypeInfo = TypeInfo(JavaScriptEncoder.Default, indented: false);

    public static string Serialize(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return JsonSerializer.Serialize(map, FileTypeInfo) + "\n";
    }

    /// <summary>Compact JSON safe to embed in an HTML script element.</summary>
    public static string SerializeForHtml(ClusterMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return JsonSerializer.Serialize(map, HtmlTypeInfo);
    }

    private static JsonTypeInfo<ClusterMap> TypeInfo(JavaScriptEncoder encoder, bool indented)
    {
        var options = new JsonSerializerOptions(ClusterMapJsonContext.Default.Options) { Encoder = encoder, WriteIndented = indented };
        return (JsonTypeInfo<ClusterMap>)options.GetTypeInfo(typeof(ClusterMap));
    }

    /// <summary>Reads a cluster JSON, kmap's or the Go tool's; FormatException says what is wrong with it.</summary>
    public static ClusterMap Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ClusterMap? map;
        try
        {
            using var document = JsonDocument.Parse(json);
            // kmap has always written format_version; the Go tool never did.
            if (document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.TryGetProperty("format_version", out _))
            {
                var go = document.Deserialize(GoClusterFileJsonContext.Default.GoClusterFile)
                    ?? throw new FormatException("not a cluster JSON: the document is null");
                return go.ToClusterMap();
            }
            map = document.Deserialize(FileTypeInfo);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a kmap cluster JSON: {e.Message}", e);
        }
        if (map is null || map.Topics is null || map.Brokers is null || map.ConsumerGroups is null)
        {
            throw new FormatException("not a kmap cluster JSON: brokers, topics and consumer_groups are required");
        }
        if (map.FormatVersion > 1)
        {
            throw new FormatException($"cluster JSON format_version {map.FormatVersion} is newer than this kmap understands (1): upgrade kmap");
        }
        return map;
    }
}

/// <summary>Source-generated serializer: no reflection at run time.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ClusterMap))]
internal sealed partial class ClusterMapJsonContext : JsonSerializerContext;
