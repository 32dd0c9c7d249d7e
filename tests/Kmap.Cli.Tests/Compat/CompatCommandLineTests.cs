using Kmap.Cli.Compat;

namespace Kmap.Cli.Tests.Compat;

public class CompatCommandLineTests
{
    [Theory]
    [InlineData("-brokers", "b:1")]
    [InlineData("--brokers", "b:1")]
    [InlineData("-brokers=b:1")]
    [InlineData("--brokers=b:1")]
    public void Go_and_GNU_spellings_give_the_same_value(params string[] args)
    {
        var parsed = CompatCommandLine.Parse(args);

        Assert.Null(parsed.Error);
        Assert.Equal("b:1", parsed.Get(CompatFlags.Brokers));
    }

    [Fact]
    public void Booleans_take_no_value_unless_written_with_equals_and_aliases_map_to_one_flag()
    {
        var parsed = CompatCommandLine.Parse(["-tls-skip-verify", "-tls-ca-cert", "ca.pem", "--tls-client-key=k.pem", "-sasl-password", "-starts-with-dash"]);
        var off = CompatCommandLine.Parse(["-tls-skip-verify=false"]);

        Assert.Null(parsed.Error);
        Assert.True(parsed.Flag(CompatFlags.TlsSkipVerify));
        Assert.Equal("ca.pem", parsed.Get(CompatFlags.TlsCa));
        Assert.Equal("k.pem", parsed.Get(CompatFlags.TlsKey));
        Assert.Equal("-starts-with-dash", parsed.Get(CompatFlags.SaslPassword));
        Assert.True(off.IsSet(CompatFlags.TlsSkipVerify));
        Assert.False(off.Flag(CompatFlags.TlsSkipVerify));
    }

    [Theory]
    [InlineData("-nope")]
    [InlineData("-brokers")]
    [InlineData("-tls-skip-verify=maybe")]
    [InlineData("-brokers", "x", "stray")]
    [InlineData("@response-file")]
    public void Unknown_flags_missing_values_and_stray_words_are_errors(params string[] args)
    {
        Assert.NotNull(CompatCommandLine.Parse(args).Error);
    }

    [Fact]
    public void The_last_occurrence_wins()
    {
        Assert.Equal("b:2", CompatCommandLine.Parse(["-brokers", "a:1", "-brokers=b:2"]).Get(CompatFlags.Brokers));
    }
}
