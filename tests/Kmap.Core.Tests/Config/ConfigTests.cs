using Kmap.Core.Config;

namespace Kmap.Core.Tests.Config;

public class ConfigTests
{
    private const string GuideScram = """
        security.protocol=SASL_SSL
        sasl.mechanism=SCRAM-SHA-256
        sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \
          username="admin" \
          password="secret";
        """;

    private static ConnectionSettings Build(AuthFlags flags, string? properties = null, string? envPassword = null, List<string>? notices = null) =>
        ConnectionSettingsBuilder.Build(flags,
            name => name == ConnectionSettingsBuilder.PasswordVariable ? envPassword : null,
            _ => properties ?? throw new IOException("no file"),
            m => notices?.Add(m));

    [Fact]
    public void The_guides_scram_client_properties_give_user_password_mechanism_and_protocol()
    {
        var settings = Build(new AuthFlags { CommandConfig = "client.properties", BootstrapServers = "kafka:9092" }, GuideScram);

        Assert.Equal(SecurityProtocol.SaslSsl, settings.EffectiveProtocol);
        Assert.Equal("SCRAM-SHA-256", settings.EffectiveSaslMechanism);
        Assert.Equal("admin", settings.SaslUsername);
        Assert.Equal("secret", settings.SaslPassword);
        Assert.DoesNotContain("secret", settings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Java_properties_follow_javas_rules()
    {
        var p = JavaProperties.Parse("# comment\n! also\nkey1 = value one\nkey2:v2\nkey3 v3\nkey4=a\\\n    b\\tc\\u0041\n  spaced\\ key=x\nempty=\n");

        Assert.Equal("value one", p["key1"]);
        Assert.Equal("v2", p["key2"]);
        Assert.Equal("v3", p["key3"]);
        Assert.Equal("ab\tcA", p["key4"]);
        Assert.Equal("x", p["spaced key"]);
        Assert.Equal("", p["empty"]);
        Assert.Equal(6, p.Count);
    }

    [Fact]
    public void A_username_without_protocol_implies_SASL_PLAINTEXT_and_says_so()
    {
        var notices = new List<string>();

        var settings = Build(new AuthFlags { SaslUsername = "admin", SaslPassword = "pw" }, notices: notices);

        Assert.Equal(SecurityProtocol.SaslPlaintext, settings.EffectiveProtocol);
        Assert.Contains(notices, n => n.Contains("SASL_PLAINTEXT", StringComparison.Ordinal));
    }

    [Fact]
    public void The_password_comes_from_KMAP_SASL_PASSWORD_and_a_flag_wins_over_it()
    {
        Assert.Equal("from-env", Build(new AuthFlags { SaslUsername = "u", SecurityProtocol = "SASL_PLAINTEXT" }, envPassword: "from-env").SaslPassword);
        Assert.Equal("flag", Build(new AuthFlags { SaslUsername = "u", SaslPassword = "flag" }, envPassword: "from-env").SaslPassword);
        Assert.Throws<FormatException>(() => Build(new AuthFlags { SaslUsername = "u" }));
    }

    [Fact]
    public void Flags_override_the_command_config_and_tls_skip_verify_warns_loudly()
    {
        var notices = new List<string>();
        var settings = Build(new AuthFlags { CommandConfig = "c", SaslMechanism = "scram-sha-512", TlsSkipVerify = true, TlsCa = "ca.pem" }, GuideScram, notices: notices);

        Assert.Equal("SCRAM-SHA-512", settings.EffectiveSaslMechanism);
        Assert.Equal("ca.pem", settings.TlsCaFile);
        Assert.Contains(notices, n => n.Contains("WARNING", StringComparison.Ordinal) && n.Contains("NOT checked", StringComparison.Ordinal));
    }

    [Fact]
    public void Jks_stores_are_refused_with_a_conversion_hint_and_pem_stores_are_used()
    {
        var jks = "security.protocol=SSL\nssl.truststore.location=/path/to/truststore.jks\nssl.truststore.password=x\n";
        var error = Assert.Throws<FormatException>(() => Build(new AuthFlags { CommandConfig = "c" }, jks));
        Assert.Contains("openssl", error.Message, StringComparison.Ordinal);

        var pem = "security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/ca.pem\nssl.keystore.type=PEM\nssl.keystore.location=/client.pem\nssl.key.password=k\n";
        var settings = Build(new AuthFlags { CommandConfig = "c" }, pem);
        Assert.Equal(("/ca.pem", "/client.pem", "/client.pem", "k"), (settings.TlsCaFile, settings.TlsCertFile, settings.TlsKeyFile, settings.TlsKeyPassword));
    }

    [Theory]
    [InlineData("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"a\\\"b\" password=\"p w;\";", "a\"b", "p w;")]
    [InlineData("x.ScramLoginModule required username=bare password=pw;", "bare", "pw")]
    public void Jaas_config_username_and_password(string jaas, string user, string password)
    {
        Assert.Equal((user, password), JaasConfig.Parse(jaas));
    }
}
