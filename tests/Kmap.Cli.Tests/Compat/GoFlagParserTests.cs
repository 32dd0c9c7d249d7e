using Kmap.Cli.Compat;

namespace Kmap.Cli.Tests.Compat;

public class GoFlagParserTests
{
    [Theory]
    [InlineData("-brokers", "b:1")]
    [InlineData("--brokers", "b:1")]
    [InlineData("-brokers=b:1")]
    [InlineData("--brokers=b:1")]
    public void Go_and_GNU_spellings_give_the_same_value(params string[] args)
    {
        var parsed = GoFlagParser.Parse(args, CompatFlags.All);

        Assert.Null(parsed.Error);
        Assert.Equal("b:1", parsed.Get(CompatFlags.Brokers));
    }

    [Fact]
    public void Booleans_take_no_value_unless_written_with_equals_and_aliases_map_to_one_flag()
    {
        var parsed = GoFlagParser.Parse(["-tls-skip-verify", "-tls-ca-cert", "ca.pem", "--tls-client-key=k.pem", "-sasl-password", "-starts-with-dash"], CompatFlags.All);
        var off = GoFlagParser.Parse(["-tls-skip-verify=false"], CompatFlags.All);

        Assert.True(parsed.Flag(CompatFlags.TlsSkipVerify));
        Assert.Equal("ca.pem", parsed.Get(CompatFlags.TlsCa));
        Assert.Equal("k.pem", parsed.Get(CompatFlags.TlsKey));
        Assert.Equal("-starts-with-dash", parsed.Get(CompatFlags.SaslPassword));
        Assert.False(off.Flag(CompatFlags.TlsSkipVerify));
    }

    [Theory]
    [InlineData("flag provided but not defined: -nope", "-nope")]
    [InlineData("flag needs an argument: -brokers", "-brokers")]
    [InlineData("invalid boolean value \"maybe\" for -tls-skip-verify", "-tls-skip-verify=maybe")]
    [InlineData("bad flag syntax: ---brokers", "---brokers")]
    public void Errors_are_Gos_messages(string message, params string[] args)
    {
        Assert.Equal(message, GoFlagParser.Parse(args, CompatFlags.All).Error);
    }

    [Fact]
    public void The_last_occurrence_wins_and_arguments_after_double_dash_are_positional()
    {
        var parsed = GoFlagParser.Parse(["-brokers", "a:1", "-brokers=b:2", "--", "-save-offsets"], CompatFlags.All);

        Assert.Equal("b:2", parsed.Get(CompatFlags.Brokers));
        Assert.Equal(["-save-offsets"], parsed.Positional);
    }
}
