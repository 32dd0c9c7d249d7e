using System.CommandLine;
using Kmap.Core.Config;

namespace Kmap.Cli.Commands;

/// <summary>
/// The connection options every cluster command takes, named as the compatibility mode names them, read
/// into ConnectionSettings by the one builder (flags > --context > KMAP_BROKERS > current context > localhost:9092).
/// </summary>
internal sealed class ConnectionOptions
{
    /// <summary>The bootstrap option is `--brokers` (alias `--bootstrap-server`) unless a command speaks like a Kafka tool.</summary>
    public ConnectionOptions(string bootstrapName = "--brokers", params string[] bootstrapAliases)
    {
        Bootstrap = new(bootstrapName, bootstrapAliases.Length == 0 && bootstrapName == "--brokers" ? ["--bootstrap-server"] : bootstrapAliases)
        {
            Description = "host:port[,host:port] of the cluster (default: the context, KMAP_BROKERS, else localhost:9092)",
        };
    }

    public Option<string?> Bootstrap { get; }
    public Option<string?> CommandConfig { get; } = new("--command-config") { Description = "Java client.properties (security.protocol, sasl.*, ssl.* as PEM)" };
    public Option<string?> SecurityProtocol { get; } = new("--security-protocol") { Description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL" };
    public Option<string?> SaslMechanism { get; } = new("--sasl-mechanism") { Description = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" };
    public Option<string?> SaslUsername { get; } = new("--sasl-username") { Description = "SASL user" };
    public Option<string?> SaslPassword { get; } = new("--sasl-password") { Description = "SASL password (better: the KMAP_SASL_PASSWORD environment variable, not shown by ps)" };
    public Option<string?> TlsCa { get; } = new("--tls-ca", "--tls-ca-cert") { Description = "PEM CA of the brokers' certificates" };
    public Option<string?> TlsCert { get; } = new("--tls-cert", "--tls-client-cert") { Description = "PEM client certificate (mTLS)" };
    public Option<string?> TlsKey { get; } = new("--tls-key", "--tls-client-key") { Description = "PEM client key (mTLS)" };
    public Option<bool> TlsSkipVerify { get; } = new("--tls-skip-verify") { Description = "do not check the brokers' certificates (insecure)" };

    public IEnumerable<Option> All => [Bootstrap, CommandConfig, SecurityProtocol, SaslMechanism, SaslUsername, SaslPassword, TlsCa, TlsCert, TlsKey, TlsSkipVerify];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings, or FormatException with the reason (a usage error).</summary>
    public ConnectionSettings Build(ParseResult parse, CliContext context) =>
        ConnectionSettingsBuilder.Build(new AuthFlags
        {
            // No default here: a missing flag lets the context or KMAP_BROKERS decide.
            BootstrapServers = parse.GetValue(Bootstrap),
            CommandConfig = parse.GetValue(CommandConfig),
            SecurityProtocol = parse.GetValue(SecurityProtocol),
            SaslMechanism = parse.GetValue(SaslMechanism),
            SaslUsername = parse.GetValue(SaslUsername),
            SaslPassword = parse.GetValue(SaslPassword),
            TlsCa = parse.GetValue(TlsCa),
            TlsCert = parse.GetValue(TlsCert),
            TlsKey = parse.GetValue(TlsKey),
            TlsSkipVerify = parse.GetValue(TlsSkipVerify),
        }, context.Environment, File.ReadAllText, m => context.Error.WriteLine(m));
}
