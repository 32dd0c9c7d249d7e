namespace Kmap.Core.Config;

/// <summary>
/// Combines a context of the kmap config file, a command-config file, the flags and the environment into
/// connection settings: context first, then the command-config file, flags over both, KMAP_SASL_PASSWORD
/// when no password was given. What is implied is said.
/// The context is the one named by --context, else KMAP_CONTEXT, else the file's current-context; the
/// current-context applies only when no brokers were given (flag or KMAP_BROKERS), so a default context's
/// credentials never go to another cluster. A named context's brokers win over KMAP_BROKERS.
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
        var context = SelectContext(flags, environment, readFile);
        var settings = new ConnectionSettings();
        if (context is not null)
        {
            settings = ApplyContext(settings, context, environment, readFile, notice);
        }
        if (flags.CommandConfig is { } file)
        {
            settings = ApplyCommandConfig(settings, file, readFile, notice);
        }
        settings = settings with
        {
            BootstrapServers = flags.BootstrapServers ?? (context?.Brokers is null ? NonEmpty(environment(KmapConfigFile.BrokersVariable)) : null) ?? settings.BootstrapServers,
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

    private static ClusterContext? SelectContext(AuthFlags flags, Func<string, string?> environment, Func<string, string> readFile)
    {
        var named = flags.Context ?? NonEmpty(environment(KmapConfigFile.ContextVariable));
        if (named is null && (flags.BootstrapServers is not null || NonEmpty(environment(KmapConfigFile.BrokersVariable)) is not null))
        {
            return null;
        }
        var path = KmapConfigFile.PathFrom(environment);
        var config = KmapConfigFile.Load(path, readFile);
        var name = named ?? config.CurrentContext;
        if (name is null)
        {
            return null;
        }
        return config.Find(name)
            ?? throw new FormatException($"no context '{name}' in {path ?? "the kmap config"}; `kmap config list` shows the contexts");
    }

    private static ConnectionSettings ApplyContext(ConnectionSettings settings, ClusterContext context, Func<string, string?> environment, Func<string, string> readFile, Action<string> notice)
    {
        if (context.CommandConfig is { } file)
        {
            settings = ApplyCommandConfig(settings, file, readFile, notice);
        }
        string? password = null;
        if (context.PasswordEnv is { } variable)
        {
            password = NonEmpty(environment(variable))
                ?? throw new FormatException($"context {context.Name}: its password comes from ${variable}, which is not set");
        }
        else if (context.PasswordFile is { } passwordFile)
        {
            try
            {
                password = readFile(ExpandHome(passwordFile, environment)).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"context {context.Name}: cannot read its password file {passwordFile}: {e.Message}", e);
            }
        }
        return settings with
        {
            BootstrapServers = context.Brokers ?? settings.BootstrapServers,
            SecurityProtocol = context.SecurityProtocol is { } p ? SecurityProtocols.Parse(p) : settings.SecurityProtocol,
            SaslMechanism = context.SaslMechanism is { } m ? SaslMechanisms.Normalize(m) : settings.SaslMechanism,
            SaslUsername = context.SaslUsername ?? settings.SaslUsername,
            SaslPassword = password ?? settings.SaslPassword,
            TlsCaFile = context.TlsCa is { } ca ? ExpandHome(ca, environment) : settings.TlsCaFile,
            TlsCertFile = context.TlsCert is { } cert ? ExpandHome(cert, environment) : settings.TlsCertFile,
            TlsKeyFile = context.TlsKey is { } key ? ExpandHome(key, environment) : settings.TlsKeyFile,
            TlsSkipVerify = context.TlsSkipVerify || settings.TlsSkipVerify,
        };
    }

    private static ConnectionSettings ApplyCommandConfig(ConnectionSettings settings, string file, Func<string, string> readFile, Action<string> notice)
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
        return ClientProperties.Apply(settings, JavaProperties.Parse(text), notice);
    }

    /// <summary>A leading ~/ means the home directory, as in a shell: config files are written by hand.</summary>
    private static string ExpandHome(string path, Func<string, string?> environment) =>
        path.StartsWith("~/", StringComparison.Ordinal) && environment("HOME") is { Length: > 0 } home ? Path.Combine(home, path[2..]) : path;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
