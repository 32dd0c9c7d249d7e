using System.Text;
using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Security;

/// <summary>
/// The server side of SASL, shared by the raw-token flow (after SaslHandshake v0) and SaslAuthenticate.
/// </summary>
public static class SaslServer
{
    /// <summary>Result of one step: the token to send back, whether authentication is complete, or an error message.</summary>
    public sealed record Step(byte[] Response, bool Complete, string? Error);

    /// <summary>Evaluates one client token on the raw-token path; a failure closes the connection.</summary>
    public static byte[] Evaluate(ClusterState cluster, ConnectionState connection, byte[] token)
    {
        var step = EvaluateStep(cluster, connection, token);
        if (step.Error is not null)
        {
            throw new SaslFailedException(step.Error);
        }
        if (step.Complete)
        {
            connection.RawSaslTokens = false;
        }
        return step.Response;
    }

    public static Step EvaluateStep(ClusterState cluster, ConnectionState connection, byte[] token)
    {
        switch (connection.SaslMechanism)
        {
            case "PLAIN":
                return Plain(cluster, connection, token);
            case "SCRAM-SHA-256":
            case "SCRAM-SHA-512":
                return ScramServer.Evaluate(cluster, connection, token);
            default:
                return new Step([], false, "SaslHandshake must choose a mechanism before authentication");
        }
    }

    /// <summary>RFC 4616: [authzid] NUL authcid NUL passwd.</summary>
    private static Step Plain(ClusterState cluster, ConnectionState connection, byte[] token)
    {
        // The messages are Kafka's PlainSaslServer's, which clients show to their users.
        var parts = Encoding.UTF8.GetString(token).Split('\0');
        if (parts.Length != 3)
        {
            return new Step([], false, "Invalid SASL/PLAIN response: expected 3 tokens, got " + parts.Length);
        }
        var (authorizationId, user, password) = (parts[0], parts[1], parts[2]);
        if (user.Length == 0)
        {
            return new Step([], false, "Authentication failed: username not specified");
        }
        if (authorizationId.Length > 0 && authorizationId != user)
        {
            return new Step([], false, "Authentication failed: Client requested an authorization id that is different from username");
        }
        if (!cluster.Options.Users.TryGetValue(user, out var expected) || !FixedTimeEquals(expected, password))
        {
            cluster.Log($"SASL/PLAIN: invalid credentials for user '{user}'");
            return new Step([], false, "Authentication failed: Invalid username or password");
        }
        connection.Principal = user;
        connection.Authenticated = true;
        return new Step([], true, null);
    }

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
