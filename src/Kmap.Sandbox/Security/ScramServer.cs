using System.Security.Cryptography;
using System.Text;
using Kmap.Sandbox.Cluster;

namespace Kmap.Sandbox.Security;

/// <summary>
/// SCRAM-SHA-256/512 (RFC 5802, RFC 7677), server side. Two client messages: client-first
/// ("n,,n=user,r=nonce") is answered by server-first ("r=nonce+ours,s=salt,i=4096"); client-final
/// ("c=biws,r=nonce,p=proof") is checked and answered by server-final ("v=signature").
/// </summary>
public static class ScramServer
{
    /// <summary>Kafka's default for credentials created with kafka-configs.sh.</summary>
    public const int Iterations = 4096;

    /// <summary>What the server remembers between client-first and client-final on one connection.</summary>
    internal sealed record Exchange(string User, string Gs2Header, string ClientFirstBare, string ServerFirst, string Nonce, byte[] SaltedPassword);

    public static SaslServer.Step Evaluate(ClusterState cluster, ConnectionState connection, byte[] token)
    {
        var mechanism = connection.SaslMechanism ?? "SCRAM";
        // Kafka never tells the client why SCRAM failed: the reason may reveal whether a user exists.
        var failed = new SaslServer.Step([], false,
            $"Authentication failed during authentication due to invalid credentials with SASL mechanism {mechanism}");
        var hash = mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        string message;
        try
        {
            message = new UTF8Encoding(false, true).GetString(token);
        }
        catch (DecoderFallbackException)
        {
            return failed;
        }

        if (connection.SaslExchange is not Exchange exchange)
        {
            var first = ClientFirst(cluster, message, hash);
            if (first is null)
            {
                cluster.Log($"SCRAM: rejected client-first message for {mechanism}");
                return failed;
            }
            connection.SaslExchange = first;
            return new SaslServer.Step(Encoding.UTF8.GetBytes(first.ServerFirst), false, null);
        }

        connection.SaslExchange = null;
        var signature = ClientFinal(exchange, message, hash);
        if (signature is null)
        {
            cluster.Log($"SCRAM: invalid proof for user '{exchange.User}' with {mechanism}");
            return failed;
        }
        connection.Principal = exchange.User;
        connection.Authenticated = true;
        return new SaslServer.Step(Encoding.UTF8.GetBytes("v=" + Convert.ToBase64String(signature)), true, null);
    }

    /// <summary>Parses client-first; null when it is malformed or names an unknown user.</summary>
    private static Exchange? ClientFirst(ClusterState cluster, string message, HashAlgorithmName hash)
    {
        // gs2-header = gs2-cbind-flag "," [authzid] ","; channel binding ("p=") is not offered by Kafka.
        var parts = message.Split(',');
        if (parts.Length < 4 || parts[0] is not ("n" or "y"))
        {
            return null;
        }
        var gs2Header = parts[0] + "," + parts[1] + ",";
        var attributes = Attributes(parts.Skip(2));
        if (attributes is null || !attributes.TryGetValue("n", out var saslName) || !attributes.TryGetValue("r", out var clientNonce) || clientNonce.Length == 0)
        {
            return null;
        }
        var user = DecodeSaslName(saslName);
        if (user is null || !cluster.Options.Users.TryGetValue(user, out var password))
        {
            return null;
        }
        if (parts[1].Length > 0 && (!parts[1].StartsWith("a=", StringComparison.Ordinal) || DecodeSaslName(parts[1][2..]) != user))
        {
            // Kafka accepts an authorization id only when it is the authenticated user.
            return null;
        }
        var salt = RandomNumberGenerator.GetBytes(24);
        var nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var serverFirst = $"r={nonce},s={Convert.ToBase64String(salt)},i={Iterations}";
        var saltedPassword = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, hash, HashSize(hash));
        var clientFirstBare = string.Join(',', parts.Skip(2));
        return new Exchange(user, gs2Header, clientFirstBare, serverFirst, nonce, saltedPassword);
    }

    /// <summary>Checks client-final against the exchange; returns the ServerSignature, or null when the proof is wrong.</summary>
    /// <remarks>
    /// The nonce check is Kafka's: the client's nonce must END with the server's combined nonce, because
    /// librdkafka (at least up to 2.0.x, the one in Debian's kcat) sends its own nonce again in front of it.
    /// </remarks>
    private static byte[]? ClientFinal(Exchange exchange, string message, HashAlgorithmName hash)
    {
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return null;
        }
        var withoutProof = message[..proofAt];
        var attributes = Attributes(withoutProof.Split(','));
        if (attributes is null
            || !attributes.TryGetValue("c", out var binding)
            || !attributes.TryGetValue("r", out var nonce)
            || !nonce.EndsWith(exchange.Nonce, StringComparison.Ordinal)
            || binding != Convert.ToBase64String(Encoding.UTF8.GetBytes(exchange.Gs2Header)))
        {
            return null;
        }
        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(message[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            return null;
        }

        var authMessage = Encoding.UTF8.GetBytes($"{exchange.ClientFirstBare},{exchange.ServerFirst},{withoutProof}");
        var clientKey = HMAC(hash, exchange.SaltedPassword, "Client Key"u8);
        var storedKey = Hash(hash, clientKey);
        var clientSignature = HMAC(hash, storedKey, authMessage);
        if (proof.Length != clientSignature.Length)
        {
            return null;
        }
        // ClientKey = ClientProof XOR ClientSignature; the proof is right when H(ClientKey) is StoredKey.
        var presentedKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            presentedKey[i] = (byte)(proof[i] ^ clientSignature[i]);
        }
        if (!CryptographicOperations.FixedTimeEquals(Hash(hash, presentedKey), storedKey))
        {
            return null;
        }
        var serverKey = HMAC(hash, exchange.SaltedPassword, "Server Key"u8);
        return HMAC(hash, serverKey, authMessage);
    }

    /// <summary>"k=v" attributes; null when one is malformed. Unknown attributes (extensions) are kept and ignored.</summary>
    private static Dictionary<string, string>? Attributes(IEnumerable<string> parts)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 1)
            {
                return null;
            }
            attributes.TryAdd(part[..equals], part[(equals + 1)..]);
        }
        return attributes;
    }

    /// <summary>RFC 5802 saslname: "=2C" is ',' and "=3D" is '='; any other '=' is malformed.</summary>
    private static string? DecodeSaslName(string saslName)
    {
        var decoded = saslName.Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "\u0001", StringComparison.Ordinal);
        return decoded.Contains('=', StringComparison.Ordinal) ? null : decoded.Replace('\u0001', '=');
    }

    private static int HashSize(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA512 ? 64 : 32;

    private static byte[] HMAC(HashAlgorithmName hash, byte[] key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

    private static byte[] Hash(HashAlgorithmName hash, byte[] data) =>
        hash == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);
}
