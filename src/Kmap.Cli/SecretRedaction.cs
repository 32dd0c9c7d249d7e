namespace Kmap.Cli;

/// <summary>
/// Keeps passwords typed on the command line out of usage errors. The parser repeats tokens it does not
/// understand ("Unrecognized command or argument 'Pw…'"), which would print a password given to a command
/// that takes none, or after a misspelt flag. Hidden: the value after any flag that looks like a password flag
/// (or after its '='), and the value of KMAP_SASL_PASSWORD.
/// </summary>
internal static class SecretRedaction
{
    private const string Hidden = "(hidden)";

    /// <summary>A flag that looks like it carries a password, misspelt too: -sasl-password, --sasl-pasword, -passwd, --pwd, --secret.</summary>
    private static bool Secretive(string flag) =>
        flag.Contains("passw", StringComparison.OrdinalIgnoreCase) || flag.Contains("pasw", StringComparison.OrdinalIgnoreCase)
        || flag.Contains("pwd", StringComparison.OrdinalIgnoreCase)
        || flag.Contains("secret", StringComparison.OrdinalIgnoreCase);

    public static string Redact(string message, IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var secrets = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? token[..equals] : token;
            // --password-env and --password-file name where a password is, not the password.
            if (!name.StartsWith('-') || !Secretive(name)
                || name.EndsWith("-env", StringComparison.Ordinal) || name.EndsWith("-file", StringComparison.Ordinal))
            {
                continue;
            }
            secrets.Add(equals > 0 ? token[(equals + 1)..] : i + 1 < args.Count ? args[i + 1] : "");
        }
        if (environment(Core.Config.ConnectionSettingsBuilder.PasswordVariable) is { } fromEnvironment)
        {
            secrets.Add(fromEnvironment);
        }
        // Very short values would blank out ordinary letters of the message; such a password is no secret anyway.
        foreach (var secret in secrets.Where(s => s.Length >= 3).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length))
        {
            message = message.Replace(secret, Hidden, StringComparison.Ordinal);
        }
        return message;
    }
}
