using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Tests.Support;

namespace Kmap.Sandbox.Tests;

/// <summary>
/// SaslHandshake, SaslAuthenticate and the raw-token path, at the protocol level. Real clients
/// (librdkafka, kcat, kafka-python, kafkajs) are exercised by tests/Conformance.
/// </summary>
public class SaslTests
{
    private const string User = "alice";
    private const string Password = "pa,ss=wörd";
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private static Task<SandboxCluster> StartAsync(params string[] mechanisms) => SandboxCluster.StartAsync(new SandboxOptions
    {
        SaslMechanisms = mechanisms,
        Users = new Dictionary<string, string> { [User] = Password },
    });

    [Fact]
    public void Sasl_messages_round_trip_at_every_served_version()
    {
        Gen.Select(Gen.String, Gen.Short[0, 1]).Sample((mechanism, version) =>
        {
            RoundTrip.AssertStable(new SaslHandshakeRequest(mechanism), version, false);
            RoundTrip.AssertStable(new SaslHandshakeResponse(ErrorCode.UnsupportedSaslMechanism, [mechanism, "PLAIN"]), version, false);
        });
        Gen.Select(Gen.Byte.Array, Gen.String.Null(), Gen.Long, Gen.Short[0, 2]).Sample((bytes, message, lifetime, version) =>
        {
            RoundTrip.AssertStable(new SaslAuthenticateRequest(bytes), version, version >= 2);
            RoundTrip.AssertStable(new SaslAuthenticateResponse(ErrorCode.SaslAuthenticationFailed, message, bytes, lifetime), version, version >= 2);
        });
    }

    [Fact]
    public async Task Mechanism_not_enabled_is_refused_with_the_enabled_list_then_the_connection_closes()
    {
        await using var sandbox = await StartAsync("SCRAM-SHA-512", "PLAIN");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest("GSSAPI"), flexible: false);
        Assert.Equal(ErrorCode.UnsupportedSaslMechanism, response.ErrorCode);
        Assert.Equal(["SCRAM-SHA-512", "PLAIN"], response.Mechanisms);
        Assert.True(await connection.IsClosedByBrokerAsync(CloseTimeout));
    }

    [Fact]
    public async Task Handshake_on_a_listener_without_sasl_is_an_illegal_state_but_keeps_the_connection()
    {
        await using var sandbox = await SandboxCluster.StartAsync();
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var response = await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest("PLAIN"), flexible: false);
        Assert.Equal(ErrorCode.IllegalSaslState, response.ErrorCode);
        Assert.Empty(response.Mechanisms);
        var versions = await connection.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(ApiKey.ApiVersions, 0, new ApiVersionsRequest(null, null), flexible: false);
        Assert.Equal(ErrorCode.None, versions.ErrorCode);
    }

    [Fact]
    public async Task Requests_before_authentication_close_the_connection()
    {
        await using var sandbox = await StartAsync("PLAIN");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var versions = await connection.RoundTripAsync<ApiVersionsRequest, ApiVersionsResponse>(ApiKey.ApiVersions, 0, new ApiVersionsRequest(null, null), flexible: false);
        Assert.Contains(versions.ApiKeys, k => k.ApiKey == (short)ApiKey.SaslAuthenticate && k.MaxVersion == 2);
        var writer = new KafkaWriter();
        new RequestHeader(ApiKey.Metadata, 1, 7, "early").Write(writer, false);
        new MetadataRequest(null, false, false, false).Write(writer, 1);
        await connection.SendFrameAsync(writer.ToArray());
        Assert.Null(await connection.ReadFrameAsync());
    }

    [Fact]
    public async Task Plain_over_raw_tokens_answers_an_empty_token_then_serves_requests()
    {
        await using var sandbox = await StartAsync("PLAIN");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        var handshake = await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 0, new SaslHandshakeRequest("PLAIN"), flexible: false);
        Assert.Equal(ErrorCode.None, handshake.ErrorCode);
        await connection.SendFrameAsync(Encoding.UTF8.GetBytes($"{User}\0{User}\0{Password}"));
        var token = await connection.ReadFrameAsync();
        Assert.NotNull(token);
        Assert.Empty(token);
        var metadata = await connection.SendAsync(ApiKey.Metadata, 1, new MetadataRequest(null, false, false, false), flexible: false);
        Assert.True(metadata.Remaining > 0);
    }

    [Fact]
    public async Task Plain_over_raw_tokens_with_a_wrong_password_closes_without_an_answer()
    {
        await using var sandbox = await StartAsync("PLAIN");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 0, new SaslHandshakeRequest("PLAIN"), flexible: false);
        await connection.SendFrameAsync(Encoding.UTF8.GetBytes($"\0{User}\0wrong"));
        Assert.Null(await connection.ReadFrameAsync());
    }

    [Theory]
    [InlineData("SCRAM-SHA-256", (short)1)]
    [InlineData("SCRAM-SHA-512", (short)2)]
    public async Task Scram_through_SaslAuthenticate_proves_both_sides(string mechanism, short version)
    {
        await using var sandbox = await StartAsync(mechanism);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest(mechanism), flexible: false);
        var client = new ScramClient(mechanism, User, Password);
        var first = await AuthenticateAsync(connection, version, client.ClientFirst());
        Assert.Equal(ErrorCode.None, first.ErrorCode);
        var final = await AuthenticateAsync(connection, version, client.ClientFinal(Encoding.UTF8.GetString(first.AuthBytes)));
        Assert.Equal(ErrorCode.None, final.ErrorCode);
        Assert.Equal(0, final.SessionLifetimeMs);
        Assert.Equal("v=" + client.ExpectedServerSignature, Encoding.UTF8.GetString(final.AuthBytes));
        var metadata = await connection.SendAsync(ApiKey.Metadata, 1, new MetadataRequest(null, false, false, false), flexible: false);
        Assert.True(metadata.Remaining > 0);
    }

    [Theory]
    [InlineData("SCRAM-SHA-256")]
    [InlineData("SCRAM-SHA-512")]
    public async Task Scram_with_a_wrong_password_fails_with_kafkas_message_then_closes(string mechanism)
    {
        await using var sandbox = await StartAsync(mechanism);
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest(mechanism), flexible: false);
        var client = new ScramClient(mechanism, User, "not the password");
        var first = await AuthenticateAsync(connection, 1, client.ClientFirst());
        var final = await AuthenticateAsync(connection, 1, client.ClientFinal(Encoding.UTF8.GetString(first.AuthBytes)));
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, final.ErrorCode);
        Assert.Equal($"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism}", final.ErrorMessage);
        Assert.True(await connection.IsClosedByBrokerAsync(CloseTimeout));
    }

    [Fact]
    public async Task Scram_over_raw_tokens_for_handshake_v0()
    {
        await using var sandbox = await StartAsync("SCRAM-SHA-256");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 0, new SaslHandshakeRequest("SCRAM-SHA-256"), flexible: false);
        var client = new ScramClient("SCRAM-SHA-256", User, Password);
        await connection.SendFrameAsync(Encoding.UTF8.GetBytes(client.ClientFirst()));
        var serverFirst = Encoding.UTF8.GetString(await connection.ReadFrameAsync() ?? throw new IOException("closed"));
        await connection.SendFrameAsync(Encoding.UTF8.GetBytes(client.ClientFinal(serverFirst)));
        Assert.Equal("v=" + client.ExpectedServerSignature, Encoding.UTF8.GetString(await connection.ReadFrameAsync() ?? throw new IOException("closed")));
    }

    [Fact]
    public async Task Unknown_scram_user_fails_like_a_wrong_password()
    {
        await using var sandbox = await StartAsync("SCRAM-SHA-512");
        await using var connection = await RawKafkaConnection.ConnectAsync(sandbox.BootstrapServers);
        await connection.RoundTripAsync<SaslHandshakeRequest, SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest("SCRAM-SHA-512"), flexible: false);
        var first = await AuthenticateAsync(connection, 1, new ScramClient("SCRAM-SHA-512", "mallory", Password).ClientFirst());
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, first.ErrorCode);
        Assert.Equal("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512", first.ErrorMessage);
    }

    [Fact]
    public void Scram_accepts_exactly_the_right_password_for_any_user_and_password()
    {
        var names = Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(Gen.OneOfConst("", ",", "=", "=2C", "ü"), (a, b) => a + b);
        Gen.Select(names, Gen.String, Gen.String, Gen.OneOfConst("SCRAM-SHA-256", "SCRAM-SHA-512")).Sample((user, password, other, mechanism) =>
        {
            var cluster = new Kmap.Sandbox.Cluster.ClusterState(
                new SandboxOptions { SaslMechanisms = [mechanism], Users = new Dictionary<string, string> { [user] = password } }, TimeProvider.System);
            foreach (var attempt in new[] { password, other })
            {
                var connection = new Kmap.Sandbox.Cluster.ConnectionState { SaslMechanism = mechanism };
                var client = new ScramClient(mechanism, user, attempt);
                var first = Kmap.Sandbox.Security.SaslServer.EvaluateStep(cluster, connection, Encoding.UTF8.GetBytes(client.ClientFirst()));
                Assert.Null(first.Error);
                var final = Kmap.Sandbox.Security.SaslServer.EvaluateStep(cluster, connection, Encoding.UTF8.GetBytes(client.ClientFinal(Encoding.UTF8.GetString(first.Response))));
                var right = attempt == password;
                Assert.Equal(right, final.Error is null);
                Assert.Equal(right, connection.Authenticated);
                Assert.Equal(right ? user : null, connection.Principal);
                if (right)
                {
                    Assert.Equal("v=" + client.ExpectedServerSignature, Encoding.UTF8.GetString(final.Response));
                }
            }
        }, iter: 40);
    }

    private static Task<SaslAuthenticateResponse> AuthenticateAsync(RawKafkaConnection connection, short version, string token) =>
        connection.RoundTripAsync<SaslAuthenticateRequest, SaslAuthenticateResponse>(
            ApiKey.SaslAuthenticate, version, new SaslAuthenticateRequest(Encoding.UTF8.GetBytes(token)), flexible: version >= 2);

    /// <summary>The client side of RFC 5802, written from the RFC for these tests.</summary>
    private sealed class ScramClient(string mechanism, string user, string password)
    {
        private readonly string _nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        private string _clientFirstBare = "";

        public string ExpectedServerSignature { get; private set; } = "";

        private HashAlgorithmName Hash => mechanism.EndsWith("512", StringComparison.Ordinal) ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

        public string ClientFirst()
        {
            _clientFirstBare = $"n={user.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={_nonce}";
            return "n,," + _clientFirstBare;
        }

        public string ClientFinal(string serverFirst)
        {
            var fields = serverFirst.Split(',').ToDictionary(f => f[..1], f => f[2..]);
            Assert.StartsWith(_nonce, fields["r"], StringComparison.Ordinal);
            Assert.True(fields["r"].Length > _nonce.Length, "the server must add its own nonce");
            var salt = Convert.FromBase64String(fields["s"]);
            var iterations = int.Parse(fields["i"], System.Globalization.CultureInfo.InvariantCulture);
            var size = Hash == HashAlgorithmName.SHA512 ? 64 : 32;
            var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, Hash, size);
            var withoutProof = $"c=biws,r={fields["r"]}";
            var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{serverFirst},{withoutProof}");
            var clientKey = Mac(salted, Encoding.UTF8.GetBytes("Client Key"));
            var storedKey = Hash == HashAlgorithmName.SHA512 ? SHA512.HashData(clientKey) : SHA256.HashData(clientKey);
            var signature = Mac(storedKey, authMessage);
            var proof = clientKey.Zip(signature, (a, b) => (byte)(a ^ b)).ToArray();
            ExpectedServerSignature = Convert.ToBase64String(Mac(Mac(salted, Encoding.UTF8.GetBytes("Server Key")), authMessage));
            return $"{withoutProof},p={Convert.ToBase64String(proof)}";
        }

        private byte[] Mac(byte[] key, byte[] data) => Hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);
    }
}
