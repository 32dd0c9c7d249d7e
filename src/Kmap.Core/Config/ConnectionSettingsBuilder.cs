namespace Kmap.Core.Config;

/// <summary>
/// Combines a command-config file, the flags and the environment into connection settings:
/// file first, flags over it, KMAP_SASL_PASSWORD when no password was given. What is implied is said.
/// </summary>
public static class ConnectionSettingsBuilder
{
    public const string PasswordVariable = "KMAP_SASL_PASSWORD";

    public static ConnectionSettings Build(AuthFlags flags, Func<string, string?> environment, Func<string, string> readFile, Action<string> notice)
    {
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(readFile);
        ArgumentNullException.ThrowIfNull(notice);
        var settings = new ConnectionSettings();
        if (flags.CommandConfig is { } file)
        {
            string text;
            try
            {
                text = readFile(file);
            }
            catch (IOException e)
            {
                throw new FormatException($"cannot read the command config {file}: {e.Message}", e);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new FormatException($"cannot read the command config {file}: {e.Message}", e);
            }
            settings = ClientProperties.Apply(settings, JavaProperties.Parse(text), notice);
        }
        settings = settings with
        {
            BootstrapServers = flags.BootstrapServers ?? settings.BootstrapServers,
            SecurityProtocol = flags.SecurityProtocol is { } p ? SecurityProtocols.Parse(p) : settings.SecurityProtocol,
            SaslMechanism = flags.SaslMechanism is { } m ? SaslMechanisms.Normalize(m) : settings.SaslMechanism,
            SaslUsername = flags.SaslUsername ?? settings.SaslUsername,
            SaslPassword = flags.SaslPassword ?? settings.SaslPassword,
            TlsCaFile = flags.TlsCa ?? settings.TlsCaFile,
            TlsCertFile = flags.TlsCert ?? settings.TlsCertFile,
            TlsKeyFile = flags.TlsKey ?? settings.TlsKeyFile,
            TlsSkipVerify = flags.TlsSkipVerify || settings.TlsSkipVerify,
        };
        if (settings.SaslPassword is null && environment(PasswordVariable) is { Length: > 0 } password)
        {
            settings = settings with { SaslPassword = password };
        }
        if ((settings.TlsCertFile is null) != (settings.TlsKeyFile is null) && settings.TlsCertPem is null)
        {
            throw new FormatException("a client certificate needs its key: give both -tls-cert and -tls-key");
        }
        if (settings.SecurityProtocol is null && settings.ImpliedProtocol != SecurityProtocol.Plaintext)
        {
            notice($"kmap: no -security-protocol given; using {SecurityProtocols.Name(settings.ImpliedProtocol)} because "
                + (settings.SaslUsername is not null ? "a SASL username" : "a TLS certificate") + " was given");
        }
        var effective = settings.EffectiveProtocol;
        if (SecurityProtocols.UsesSasl(effective))
        {
            if (settings.SaslUsername is null)
            {
                throw new FormatException($"{SecurityProtocols.Name(effective)} needs -sasl-username (and -sasl-password or {PasswordVariable})");
            }
            if (settings.SaslPassword is null)
            {
                throw new FormatException($"no SASL password: give -sasl-password or set {PasswordVariable} (the environment keeps it out of `ps`)");
            }
        }
        if (settings.TlsSkipVerify)
        {
            notice("kmap: WARNING: -tls-skip-verify: the broker's certificate is NOT checked; anyone on the network path can impersonate the cluster and read the credentials. Use -tls-ca instead.");
        }
        return settings;
    }
}
