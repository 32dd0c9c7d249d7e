using System.Text.Json;
using Kmap.Conformance.Tests.Support;

namespace Kmap.Conformance.Tests;

/// <summary>
/// kafkajs 2.2.4 (npm, pinned by tests/Conformance/node/package-lock.json) through tests/Conformance/node/kjs.js.
/// It authenticates with SaslHandshake v1 and SaslAuthenticate. Its headers are an object, so repeated
/// header keys are sent grouped by key: the samples are reordered the same way before comparing.
/// </summary>
public class KafkajsTests : ScriptClientTests
{
    protected override string Client => "kafkajs";
    protected override string Prefix => "kjs";
    protected override (string Interpreter, string Script, string PasswordVariable) ScriptCommand =>
        (Clients.Node, Path.Combine(Clients.SourceDirectory, "node", "kjs.js"), "KJS_PASSWORD");

    protected override string NoErrorText => "0";

    protected override void AssertCreatedOnceOnly(JsonElement root)
    {
        Assert.True(root.GetProperty("created").GetBoolean());
        Assert.False(root.GetProperty("created_again").GetBoolean());
    }

    protected override IReadOnlyList<SampleRecords.Sample> PrepareSamples(IReadOnlyList<SampleRecords.Sample> samples) => SampleRecords.GroupHeadersByKey(samples);

    protected override string[] UntrustedCertificateErrors => ["KafkaJSConnectionError", "KafkaJSNumberOfRetriesExceeded"];

    // Under TLS 1.3 the refusal may come after the client finished its side of the handshake: a closed connection.
    protected override string[] MissingCertificateErrors => ["KafkaJSConnectionError", "KafkaJSNumberOfRetriesExceeded", "KafkaJSConnectionClosedError"];

    /// <summary>SaslAuthenticate answers SASL_AUTHENTICATION_FAILED with Kafka's message; kafkajs does not retry it.</summary>
    protected override void AssertWrongPassword(string mechanism, ExternalProcess.Result refused)
    {
        AssertFailedFast(refused, "KafkaJSSASLAuthenticationError");
        var expected = mechanism == "PLAIN"
            ? "Authentication failed: Invalid username or password"
            : $"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism}";
        using var json = JsonDocument.Parse(refused.StandardOutput);
        Assert.Contains(expected, json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
