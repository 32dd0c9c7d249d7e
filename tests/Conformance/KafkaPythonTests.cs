using System.Text.Json;
using Kmap.Conformance.Tests.Support;

namespace Kmap.Conformance.Tests;

/// <summary>
/// kafka-python 2.0.2 (Debian's python3-kafka under /usr/bin/python3) through tests/Conformance/python/kp.py.
/// It authenticates with SaslHandshake v0 and raw SASL tokens. It has no "alter group offsets" admin call:
/// "admin commit without joining" is a consumer's OffsetCommit for a group it never joined.
/// </summary>
public class KafkaPythonTests : ScriptClientTests
{
    protected override string Client => "kafka-python";
    protected override string Prefix => "py";
    protected override (string Interpreter, string Script, string PasswordVariable) ScriptCommand =>
        (Clients.SystemPython, Path.Combine(Clients.SourceDirectory, "python", "kp.py"), "KP_PASSWORD");

    protected override string NoErrorText => "NoError";

    protected override void AssertCreatedOnceOnly(JsonElement root) =>
        Assert.Equal("TopicAlreadyExistsError", root.GetProperty("create_again").GetString());

    protected override void AssertOwnCommitView(JsonElement root) =>
        Assert.All(root.GetProperty("committed").EnumerateObject(), c => Assert.Equal(10, c.Value.GetInt64()));

    protected override string[] UntrustedCertificateErrors => ["SSLCertVerificationError"];

    protected override void AssertUntrustedCertificate(ExternalProcess.Result refused) =>
        Assert.Contains("CERTIFICATE_VERIFY_FAILED", refused.StandardError, StringComparison.Ordinal);

    // The broker ends the handshake when no certificate comes; Python reports it as an EOF in the TLS layer.
    // Under TLS 1.3 the client may finish its side of the handshake before the broker refuses it: then
    // kafka-python's version probe is what breaks, and it says UnrecognizedBrokerVersion.
    protected override string[] MissingCertificateErrors => ["SSLEOFError", "SSLError", "NoBrokersAvailable", "UnrecognizedBrokerVersion"];

    /// <summary>
    /// Kafka closes the connection without a word on a failed raw-token authentication (handshake v0);
    /// kafka-python logs the reset while authenticating and gives up on the bootstrap servers.
    /// </summary>
    protected override void AssertWrongPassword(string mechanism, ExternalProcess.Result refused)
    {
        AssertFailedFast(refused, "NoBrokersAvailable");
        Assert.Contains("<authenticating>", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("Connection reset during recv", refused.StandardError, StringComparison.Ordinal);
    }
}
