using System.CommandLine;
using Kmap.Core.Config;

namespace Kmap.Cli.Commands.Restore;

/// <summary>The connection flags of backup/restore/verify: the compat mode's names, GNU style.</summary>
internal sealed class ConnectionOptions
{
    public Option<string?> Brokers { get; } = new("--brokers", "--bootstrap-server") { Description = "host:port[,host:port] of the cluster (default localhost:9092)" };
    public Option<string?> CommandConfig { get; } = new("--command-config") { Description = "Java client.properties with the security settings" };
    public Option<string?> SecurityProtocol { get; } = new("--security-protocol") { Description = "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL" };
    public Option<string?> SaslMechanism { get; } = new("--sasl-mechanism") { Description = "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512" };
    public Option<string?> SaslUsername { get; } = new("--sasl-username") { Description = "SASL user" };
    public Option<string?> SaslPassword { get; } = new("--sasl-password") { Description = "SASL password (better: the KMAP_SASL_PASSWORD environment variable)" };
    public Option<string?> TlsCa { get; } = new("--tls-ca", "--tls-ca-cert") { Description = "CA certificate (PEM) to check the brokers with" };
    public Option<string?> TlsCert { get; } = new("--tls-cert", "--tls-client-cert") { Description = "client certificate (PEM) for mTLS" };
    public Option<string?> TlsKey { get; } = new("--tls-key", "--tls-client-key") { Description = "client key (PEM) for mTLS" };
    public Option<bool> TlsSkipVerify { get; } = new("--tls-skip-verify") { Description = "do not check the broker certificate (dangerous)" };

    public IEnumerable<Option> All => [Brokers, CommandConfig, SecurityProtocol, SaslMechanism, SaslUsername, SaslPassword, TlsCa, TlsCert, TlsKey, TlsSkipVerify];

    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Settings from the flags, a command config and the environment; FormatException is a usage error.</summary>
    public ConnectionSettings Build(ParseResult parse, CliContext context) =>
        ConnectionSettingsBuilder.Build(new AuthFlags
        {
            BootstrapServers = parse.GetValue(Brokers) ?? (parse.GetValue(CommandConfig) is null ? "localhost:9092" : null),
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
