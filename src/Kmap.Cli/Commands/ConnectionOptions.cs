using System.CommandLine;
using Kmap.Core.Config;

namespace Kmap.Cli.Commands;

/// <summary>
/// The connection options every cluster command takes, named as the compatibility mode names them, read
/// into ConnectionSettings by the one builder (flags > --context > KMAP_BROKERS > current context > localhost:9092).
/// A command that reads two clusters (`kmap compare`) takes one set per side: `--source-…` and `--target-…`.
/// </summary>
internal sealed class ConnectionOptions
{
    /// <summary>
    /// Every spelling of the brokers a cluster command accepts: the Go tool's, GNU's, Apache Kafka's tools' and kcat's.
    /// A command shows its own first (`--bootstrap-server` where it speaks like a Kafka tool); all are accepted everywhere.
    /// </summary>
    public static readonly IReadOnlyList<string> BrokerSpellings = ["--brokers", "-brokers", "--bootstrap-server", "-b"];

    /// <summary>The bootstrap option is `--brokers` unless a command speaks like a Kafka tool; it takes every <see cref="BrokerSpellings"/>.</summary>
    public ConnectionOptions(string bootstrapName = "--brokers", params string[] bootstrapAliases)
        : this(null, bootstrapName, [.. bootstrapAliases.Concat(BrokerSpellings).Where(a => a != bootstrapName).Distinct(StringComparer.Ordinal)])
    {
    }

    /// <summary>A side's spellings: `--source-brokers`, `-source-brokers`, `--source-bootstrap-server`, `-source-bootstrap-server`.</summary>
    public static IReadOnlyList<string> SideBrokerSpellings(string side) =>
        [$"--{side}-brokers", $"-{side}-brokers", $"--{side}-bootstrap-server", $"-{side}-bootstrap-server"];

    private ConnectionOptions(string? side, string bootstrapName, string[] bootstrapAliases)
    {
        Side = side;
        var prefix = side is null ? "--" : $"--{side}-";
        var who = side is null ? "" : $"{side}: ";
        Bootstrap = new(bootstrapName, bootstrapAliases)
        {
            Description = side is null
                ? "host:port[,host:port] of the cluster (default: the context, KMAP_BROKERS, else localhost:9092)"
                : $"{who}host:port[,host:port] of the cluster to read live (or --{side}-context)",
        };
        CommandConfig = new($"{prefix}command-config") { Description = who + "Java client.properties (security.protocol, sasl.*, ssl.* as PEM)" };
        SecurityProtocol = new($"{prefix}security-protocol") { Description = who + "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL" };
        SaslMechanism = new($"{prefix}sasl-mechanism") { Description = who + "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" };
        SaslUsername = new($"{prefix}sasl-username") { Description = who + "SASL user" };
        SaslPassword = new($"{prefix}sasl-password") { Description = who + $"SASL password (better: the {PasswordVariable} environment variable, not shown by ps)" };
        TlsCa = new($"{prefix}tls-ca", $"{prefix}tls-ca-cert") { Description = who + "PEM CA of the brokers' certificates" };
        TlsCert = new($"{prefix}tls-cert", $"{prefix}tls-client-cert") { Description = who + "PEM client certificate (mTLS)" };
        TlsKey = new($"{prefix}tls-key", $"{prefix}tls-client-key") { Description = who + "PEM client key (mTLS)" };
        TlsSkipVerify = new($"{prefix}tls-skip-verify") { Description = who + "do not check the brokers' certificates (insecure)" };
        Context = side is null ? null : new($"{prefix}context")
        {
            Description = $"{who}a cluster context of the kmap config file (brokers and credentials; see `kmap config list`)",
            HelpName = "NAME",
        };
    }

    /// <summary>One side of a two-cluster command: `--source-brokers`, `--source-context`, `--source-command-config`, `--source-sasl-…`.</summary>
    public static ConnectionOptions ForSide(string side) => new(side, $"--{side}-brokers", [.. SideBrokerSpellings(side).Skip(1)]);

    /// <summary>null for a command's only cluster; "source" or "target" for a side.</summary>
    public string? Side { get; }

    /// <summary>The environment variable a password may come from: one per side, so one cluster's password never goes to the other.</summary>
    public string PasswordVariable => Side is null ? ConnectionSettingsBuilder.PasswordVariable : $"KMAP_{Side.ToUpperInvariant()}_SASL_PASSWORD";

    public Option<string?> Bootstrap { get; }
    public Option<string?> CommandConfig { get; }
    public Option<string?> SecurityProtocol { get; }
    public Option<string?> SaslMechanism { get; }
    public Option<string?> SaslUsername { get; }
    public Option<string?> SaslPassword { get; }
    public Option<string?> TlsCa { get; }
    public Option<string?> TlsCert { get; }
    public Option<string?> TlsKey { get; }
    public Option<bool> TlsSkipVerify { get; }

    /// <summary>A side's own context (the command-wide one is the recursive --context); null for a single cluster.</summary>
    public Option<string?>? Context { get; }

    public IEnumerable<Option> All => Context is null
        ? [Bootstrap, CommandConfig, SecurityProtocol, SaslMechanism, SaslUsername, SaslPassword, TlsCa, TlsCert, TlsKey, TlsSkipVerify]
        : [Bootstrap, Context, CommandConfig, SecurityProtocol, SaslMechanism, SaslUsername, SaslPassword, TlsCa, TlsCert, TlsKey, TlsSkipVerify];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>A side is read live when it names brokers or a context; otherwise it is a cluster JSON file.</summary>
    public bool IsGiven(ParseResult parse) => parse.GetValue(Bootstrap) is not null || (Context is not null && parse.GetValue(Context) is not null);

    /// <summary>The settings, or FormatException with the reason (a usage error).</summary>
    public ConnectionSettings Build(ParseResult parse, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(context);
        var flags = new AuthFlags
        {
            // No default here: a missing flag lets the context or KMAP_BROKERS decide.
            BootstrapServers = parse.GetValue(Bootstrap),
            Context = Context is null ? null : parse.GetValue(Context),
            CommandConfig = parse.GetValue(CommandConfig),
            SecurityProtocol = parse.GetValue(SecurityProtocol),
            SaslMechanism = parse.GetValue(SaslMechanism),
            SaslUsername = parse.GetValue(SaslUsername),
            SaslPassword = parse.GetValue(SaslPassword),
            TlsCa = parse.GetValue(TlsCa),
            TlsCert = parse.GetValue(TlsCert),
            TlsKey = parse.GetValue(TlsKey),
            TlsSkipVerify = parse.GetValue(TlsSkipVerify),
        };
        if (Side is null)
        {
            return ConnectionSettingsBuilder.Build(flags, context.Environment, File.ReadAllText, m => context.Error.WriteLine(m));
        }
        try
        {
            return ConnectionSettingsBuilder.Build(flags, SideEnvironment(context.Environment), File.ReadAllText, m => context.Error.WriteLine($"{m} (for the {Side})"));
        }
        catch (FormatException e)
        {
            throw new FormatException($"the {Side}: {Rename(e.Message)}", e);
        }
    }

    /// <summary>
    /// What a side sees of the environment: only its own password variable, and neither KMAP_CONTEXT nor
    /// KMAP_BROKERS (they name one cluster; each side is named by its own options).
    /// </summary>
    private Func<string, string?> SideEnvironment(Func<string, string?> environment) => variable => variable switch
    {
        KmapConfigFile.ContextVariable or KmapConfigFile.BrokersVariable => null,
        ConnectionSettingsBuilder.PasswordVariable => environment(PasswordVariable),
        _ => environment(variable),
    };

    /// <summary>The builder speaks of the single-cluster flags; a side's message names the side's.</summary>
    private string Rename(string message) => message
        .Replace(ConnectionSettingsBuilder.PasswordVariable, PasswordVariable, StringComparison.Ordinal)
        .Replace("-sasl-", $"--{Side}-sasl-", StringComparison.Ordinal)
        .Replace("-tls-", $"--{Side}-tls-", StringComparison.Ordinal)
        .Replace("--context", $"--{Side}-context", StringComparison.Ordinal);
}
