using System.CommandLine;
using Kmap.Core.Config;

namespace Kmap.Cli.Commands.ClusterMap;

/// <summary>
/// The connection options of the cluster-map commands, named as the compatibility mode names them
/// (so `-brokers` and `--bootstrap-server` both work), read into the shared ConnectionSettings.
/// </summary>
internal sealed class ConnectionOptions
{
    public ConnectionOptions(string bootstrapName = "--bootstrap-server", params string[] bootstrapAliases)
    {
        Bootstrap = new(bootstrapName, bootstrapAliases) { Description = "the cluster, host:port[,host:port] (default localhost:9092)" };
    }

    public Option<string?> Bootstrap { get; }
    public Option<string?> CommandConfig { get; } = new("--command-config") { Description = "Java client.properties (security.protocol, sasl.*, ssl.* as PEM)" };
    public Option<string?> SecurityProtocol { get; } = new("--security-protocol") { Description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL" };
    public Option<string?> SaslMechanism { get; } = new("--sasl-mechanism") { Description = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" };
    public Option<string?> SaslUsername { get; } = new("--sasl-username") { Description = "SASL username (password from KMAP_SASL_PASSWORD)" };
    public Option<string?> TlsCa { get; } = new("--tls-ca", "--tls-ca-cert") { Description = "PEM CA of the brokers' certificates" };
    public Option<string?> TlsCert { get; } = new("--tls-cert", "--tls-client-cert") { Description = "PEM client certificate (mTLS)" };
    public Option<string?> TlsKey { get; } = new("--tls-key", "--tls-client-key") { Description = "PEM client key (mTLS)" };
    public Option<bool> TlsSkipVerify { get; } = new("--tls-skip-verify") { Description = "do not check the brokers' certificates (insecure)" };

    public IEnumerable<Option> All => [Bootstrap, CommandConfig, SecurityProtocol, SaslMechanism, SaslUsername, TlsCa, TlsCert, TlsKey, TlsSkipVerify];

    /// <summary>The settings, or FormatException with the reason (a usage error).</summary>
    public ConnectionSettings Read(ParseResult parse, CliContext context) => ConnectionSettingsBuilder.Build(new AuthFlags
    {
        BootstrapServers = parse.GetValue(Bootstrap),
        CommandConfig = parse.GetValue(CommandConfig),
        SecurityProtocol = parse.GetValue(SecurityProtocol),
        SaslMechanism = parse.GetValue(SaslMechanism),
        SaslUsername = parse.GetValue(SaslUsername),
        TlsCa = parse.GetValue(TlsCa),
        TlsCert = parse.GetValue(TlsCert),
        TlsKey = parse.GetValue(TlsKey),
        TlsSkipVerify = parse.GetValue(TlsSkipVerify),
    }, context.Environment, File.ReadAllText, m => context.Error.WriteLine(m));
}
