namespace Kmap.Core.Config;

/// <summary>The SASL mechanisms kmap speaks.</summary>
public static class SaslMechanisms
{
    public const string Plain = "PLAIN";
    public const string ScramSha256 = "SCRAM-SHA-256";
    public const string ScramSha512 = "SCRAM-SHA-512";

    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var upper = text.Trim().ToUpperInvariant();
        return upper is Plain or ScramSha256 or ScramSha512
            ? upper
            : throw new FormatException($"unsupported SASL mechanism '{text}' (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)");
    }
}
