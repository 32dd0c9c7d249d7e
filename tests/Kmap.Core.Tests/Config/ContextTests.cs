using Kmap.Core.Config;

namespace Kmap.Core.Tests.Config;

/// <summary>Contexts of the kmap config file and where each setting comes from: flags > context > KMAP_BROKERS > defaults.</summary>
public class ContextTests
{
    private const string ConfigPath = "/home/u/.config/kmap/config.yaml";

    private const string Yaml = """
        current-context: prod
        contexts:
          prod:
            brokers: [prod-1:9093, prod-2:9093]
            security-protocol: SASL_SSL
            sasl-mechanism: scram-sha-512
            sasl-username: kmap
            password-env: PROD_PW
            tls-ca: ~/ca.pem
          staging:
            brokers: staging:9092
            sasl-username: stager
            password-file: /secrets/staging
          local:
            brokers: localhost:19092
        """;

    private static ConnectionSettings Build(AuthFlags flags, Dictionary<string, string>? env = null, Dictionary<string, string>? files = null)
    {
        var environment = new Dictionary<string, string>(env ?? [], StringComparer.Ordinal) { ["HOME"] = "/home/u" };
        var fileSystem = new Dictionary<string, string>(files ?? new() { [ConfigPath] = Yaml }, StringComparer.Ordinal);
        return ConnectionSettingsBuilder.Build(flags, n => environment.GetValueOrDefault(n),
            path => fileSystem.TryGetValue(path, out var text) ? text : throw new FileNotFoundException(path), _ => { });
    }

    [Fact]
    public void The_current_context_gives_brokers_protocol_mechanism_user_tls_and_the_password_from_its_variable()
    {
        var settings = Build(new AuthFlags(), new() { ["PROD_PW"] = "s3cret" });

        Assert.Equal("prod-1:9093,prod-2:9093", settings.BootstrapServers);
        Assert.Equal(SecurityProtocol.SaslSsl, settings.EffectiveProtocol);
        Assert.Equal("SCRAM-SHA-512", settings.EffectiveSaslMechanism);
        Assert.Equal("kmap", settings.SaslUsername);
        Assert.Equal("s3cret", settings.SaslPassword);
        Assert.Equal("/home/u/ca.pem", settings.TlsCaFile);
    }

    [Fact]
    public void Flags_override_the_named_context_field_by_field()
    {
        var settings = Build(new AuthFlags { Context = "prod", BootstrapServers = "prod-3:9093", SaslUsername = "other", SaslPassword = "flagpw" },
            new() { ["PROD_PW"] = "s3cret" });

        Assert.Equal("prod-3:9093", settings.BootstrapServers);
        Assert.Equal("other", settings.SaslUsername);
        Assert.Equal("flagpw", settings.SaslPassword);
        Assert.Equal("SCRAM-SHA-512", settings.EffectiveSaslMechanism);
    }

    [Fact]
    public void The_context_flag_beats_KMAP_CONTEXT_which_beats_the_current_context()
    {
        var env = new Dictionary<string, string> { ["KMAP_CONTEXT"] = "local", ["PROD_PW"] = "x" };

        Assert.Equal("localhost:19092", Build(new AuthFlags(), env).BootstrapServers);
        Assert.Equal("prod-1:9093,prod-2:9093", Build(new AuthFlags { Context = "prod" }, env).BootstrapServers);
    }

    [Fact]
    public void KMAP_BROKERS_replaces_the_current_context_entirely_so_its_credentials_go_nowhere_else()
    {
        var settings = Build(new AuthFlags(), new() { ["KMAP_BROKERS"] = "elsewhere:9092", ["PROD_PW"] = "s3cret" });

        Assert.Equal("elsewhere:9092", settings.BootstrapServers);
        Assert.Null(settings.SaslUsername);
        Assert.Null(settings.SaslPassword);
        Assert.Equal(SecurityProtocol.Plaintext, settings.EffectiveProtocol);
    }

    [Fact]
    public void A_brokers_flag_without_a_named_context_does_not_use_the_current_context()
    {
        var settings = Build(new AuthFlags { BootstrapServers = "other:9092" }, new() { ["PROD_PW"] = "s3cret" });

        Assert.Equal("other:9092", settings.BootstrapServers);
        Assert.Null(settings.SaslPassword);
    }

    [Fact]
    public void A_named_context_beats_KMAP_BROKERS()
    {
        var settings = Build(new AuthFlags { Context = "local" }, new() { ["KMAP_BROKERS"] = "elsewhere:9092" });

        Assert.Equal("localhost:19092", settings.BootstrapServers);
    }

    [Fact]
    public void Without_config_file_or_flags_KMAP_BROKERS_then_localhost_apply()
    {
        Assert.Equal("b:1", Build(new AuthFlags(), new() { ["KMAP_BROKERS"] = "b:1" }, files: []).BootstrapServers);
        Assert.Equal(ConnectionSettings.DefaultBootstrapServers, Build(new AuthFlags(), files: []).BootstrapServers);
    }

    [Fact]
    public void The_password_file_is_read_without_its_trailing_newline()
    {
        var files = new Dictionary<string, string> { [ConfigPath] = Yaml, ["/secrets/staging"] = "pw from file\n" };

        var settings = Build(new AuthFlags { Context = "staging" }, files: files);

        Assert.Equal("pw from file", settings.SaslPassword);
        Assert.Equal(SecurityProtocol.SaslPlaintext, settings.EffectiveProtocol);
    }

    [Fact]
    public void An_unset_password_variable_an_unknown_context_and_KMAP_CONFIG_are_honoured()
    {
        var unset = Assert.Throws<FormatException>(() => Build(new AuthFlags()));
        Assert.Contains("$PROD_PW", unset.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<FormatException>(() => Build(new AuthFlags { Context = "nope" }));
        Assert.Contains("no context 'nope'", unknown.Message, StringComparison.Ordinal);

        var files = new Dictionary<string, string> { ["/etc/kmap.yaml"] = "current-context: x\ncontexts:\n  x:\n    brokers: from-kmap-config:1\n" };
        Assert.Equal("from-kmap-config:1", Build(new AuthFlags(), new() { ["KMAP_CONFIG"] = "/etc/kmap.yaml" }, files).BootstrapServers);
        Assert.Equal("/x/kmap/config.yaml", KmapConfigFile.PathFrom(n => n == "XDG_CONFIG_HOME" ? "/x" : null));
    }

    [Theory]
    [InlineData("contexts:\n  p:\n    password: hunter2\n", "never holds a password")]
    [InlineData("contexts:\n  p:\n    sasl-password: hunter2\n", "never holds a password")]
    [InlineData("contexts:\n  p:\n    brokres: a:1\n", "unknown key 'brokres'")]
    [InlineData("contexts:\n  p:\n    password-env: A\n    password-file: /b\n", "not both")]
    [InlineData("contexts:\n  p:\n    tls-skip-verify: yes please\n", "true or false")]
    [InlineData("contexts: [a, b]\n", "mapping")]
    [InlineData("current-context: [a\n", "not valid YAML")]
    public void A_config_file_with_a_clear_password_a_typo_or_bad_yaml_is_refused(string yaml, string message)
    {
        var e = Assert.Throws<FormatException>(() => KmapConfigFile.Parse(yaml));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_then_parse_gives_the_same_config()
    {
        var config = KmapConfigFile.Parse(Yaml);

        var again = KmapConfigFile.Parse(KmapConfigFile.Format(config));

        Assert.Equal(config.CurrentContext, again.CurrentContext);
        Assert.Equal(config.Contexts, again.Contexts);
        Assert.Equal(3, again.Contexts.Count);
    }
}
