using System.Text.RegularExpressions;

namespace Kmap.Core.Config;

/// <summary>
/// Reads the username and password out of a sasl.jaas.config value such as
/// `org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="secret";`.
/// </summary>
public static partial class JaasConfig
{
    public static (string? Username, string? Password) Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string? username = null;
        string? password = null;
        foreach (Match match in OptionPattern().Matches(value))
        {
            var text = match.Groups["quoted"].Success
                ? match.Groups["quoted"].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal)
                : match.Groups["bare"].Value;
            switch (match.Groups["key"].Value)
            {
                case "username": username = text; break;
                case "password": password = text; break;
                default: break;
            }
        }
        return (username, password);
    }

    [GeneratedRegex("""(?<key>[A-Za-z_.]+)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<bare>[^\s;"]+))""")]
    private static partial Regex OptionPattern();
}
