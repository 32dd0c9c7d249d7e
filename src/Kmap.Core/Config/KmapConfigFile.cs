using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kmap.Core.Config;

/// <summary>
/// Reads and writes the kmap config file ($XDG_CONFIG_HOME/kmap/config.yaml, or KMAP_CONFIG):
/// <code>
/// current-context: prod
/// contexts:
///   prod:
///     brokers: kafka-1:9093,kafka-2:9093
///     security-protocol: SASL_SSL
///     sasl-mechanism: SCRAM-SHA-512
///     sasl-username: kmap
///     password-env: PROD_KAFKA_PASSWORD      # or password-file: ~/.config/kmap/prod.password
///     tls-ca: /etc/kafka/ca.pem
/// </code>
/// Strict: an unknown key is an error (a typo must not silently connect without TLS), and a clear
/// password is refused.
/// </summary>
public static class KmapConfigFile
{
    public const string PathVariable = "KMAP_CONFIG";
    public const string ContextVariable = "KMAP_CONTEXT";
    public const string BrokersVariable = "KMAP_BROKERS";

    private static readonly string[] ContextKeys =
    [
        "brokers", "security-protocol", "sasl-mechanism", "sasl-username", "password-env", "password-file",
        "tls-ca", "tls-cert", "tls-key", "tls-skip-verify", "command-config",
    ];

    /// <summary>Where the config file is: KMAP_CONFIG, else $XDG_CONFIG_HOME/kmap/config.yaml, else ~/.config/kmap/config.yaml.</summary>
    public static string? PathFrom(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(PathVariable) is { Length: > 0 } explicitPath)
        {
            return explicitPath;
        }
        if (environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg)
        {
            return Path.Combine(xdg, "kmap", "config.yaml");
        }
        var home = environment("HOME") ?? environment("USERPROFILE");
        return home is { Length: > 0 } ? Path.Combine(home, ".config", "kmap", "config.yaml") : null;
    }

    /// <summary>The config at <paramref name="path"/>; empty when the file does not exist.</summary>
    public static KmapConfig Load(string? path, Func<string, string> readFile)
    {
        ArgumentNullException.ThrowIfNull(readFile);
        if (path is null)
        {
            return KmapConfig.Empty;
        }
        string text;
        try
        {
            text = readFile(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return KmapConfig.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"cannot read the kmap config {path}: {e.Message}", e);
        }
        try
        {
            return Parse(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }
    }

    public static KmapConfig Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new FormatException($"not valid YAML: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return KmapConfig.Empty;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("the top level must be a mapping (current-context, contexts)");
        }
        string? current = null;
        var contexts = new List<ClusterContext>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Scalar(keyNode, "a top-level key");
            switch (key)
            {
                case "current-context":
                    current = Scalar(value, "current-context");
                    break;
                case "contexts":
                    if (value is YamlScalarNode { Value: null or "" })
                    {
                        break;
                    }
                    if (value is not YamlMappingNode map)
                    {
                        throw new FormatException("contexts must be a mapping of context name to settings");
                    }
                    foreach (var (nameNode, settings) in map.Children)
                    {
                        contexts.Add(ParseContext(Scalar(nameNode, "a context name"), settings));
                    }
                    break;
                default:
                    throw new FormatException($"unknown key '{key}' (expected current-context, contexts)");
            }
        }
        return new KmapConfig { CurrentContext = current, Contexts = contexts };
    }

    private static ClusterContext ParseContext(string name, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw new FormatException($"context {name}: expected a mapping of settings");
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var key = Scalar(keyNode, $"context {name}: a key");
            if (key is "password" or "sasl-password")
            {
                throw new FormatException($"context {name}: '{key}' is not allowed: the config file never holds a password; use password-env: VARIABLE or password-file: PATH");
            }
            if (!ContextKeys.Contains(key, StringComparer.Ordinal))
            {
                throw new FormatException($"context {name}: unknown key '{key}' (expected {string.Join(", ", ContextKeys)})");
            }
            values[key] = key == "brokers" && value is YamlSequenceNode list
                ? string.Join(',', list.Children.Select(b => Scalar(b, $"context {name}: a broker")))
                : Scalar(value, $"context {name}: {key}");
        }
        if (values.ContainsKey("password-env") && values.ContainsKey("password-file"))
        {
            throw new FormatException($"context {name}: give password-env or password-file, not both");
        }
        var skip = values.GetValueOrDefault("tls-skip-verify");
        if (skip is not (null or "true" or "false"))
        {
            throw new FormatException($"context {name}: tls-skip-verify must be true or false, not '{skip}'");
        }
        return new ClusterContext
        {
            Name = name,
            Brokers = values.GetValueOrDefault("brokers"),
            SecurityProtocol = values.GetValueOrDefault("security-protocol"),
            SaslMechanism = values.GetValueOrDefault("sasl-mechanism"),
            SaslUsername = values.GetValueOrDefault("sasl-username"),
            PasswordEnv = values.GetValueOrDefault("password-env"),
            PasswordFile = values.GetValueOrDefault("password-file"),
            TlsCa = values.GetValueOrDefault("tls-ca"),
            TlsCert = values.GetValueOrDefault("tls-cert"),
            TlsKey = values.GetValueOrDefault("tls-key"),
            TlsSkipVerify = skip == "true",
            CommandConfig = values.GetValueOrDefault("command-config"),
        };
    }

    private static string Scalar(YamlNode node, string what) =>
        node is YamlScalarNode scalar
            ? scalar.Value ?? ""
            : throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"{what} must be a single value (line {node.Start.Line})"));

    /// <summary>The config as YAML, in the layout <see cref="Parse"/> reads (comments of an edited file are not kept).</summary>
    public static string Format(KmapConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = new YamlMappingNode();
        if (config.CurrentContext is { } current)
        {
            root.Add("current-context", current);
        }
        var contexts = new YamlMappingNode();
        foreach (var context in config.Contexts)
        {
            var map = new YamlMappingNode();
            foreach (var (key, value) in Fields(context))
            {
                map.Add(key, value);
            }
            contexts.Add(context.Name, map);
        }
        root.Add("contexts", contexts);
        var writer = new StringWriter { NewLine = "\n" };
        writer.WriteLine("# kmap contexts: see `kmap config --help`. Passwords are references (password-env, password-file), never values.");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // YamlDotNet ends a document with "...": not wrong, but surprising in a hand-edited file.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    /// <summary>The context's settings as config keys, in file order, omitting what is not set.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Fields(ClusterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fields = new List<KeyValuePair<string, string>>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                fields.Add(new(key, value));
            }
        }
        Add("brokers", context.Brokers);
        Add("security-protocol", context.SecurityProtocol);
        Add("sasl-mechanism", context.SaslMechanism);
        Add("sasl-username", context.SaslUsername);
        Add("password-env", context.PasswordEnv);
        Add("password-file", context.PasswordFile);
        Add("tls-ca", context.TlsCa);
        Add("tls-cert", context.TlsCert);
        Add("tls-key", context.TlsKey);
        Add("tls-skip-verify", context.TlsSkipVerify ? "true" : null);
        Add("command-config", context.CommandConfig);
        return fields;
    }
}
