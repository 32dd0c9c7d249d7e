using System.Security.Cryptography;
using System.Text;
using Kmap.Core.Cluster;

namespace Kmap.Kafka.Wire;

/// <summary>
/// The client side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) for <see cref="WireSasl"/>:
/// client-first, server-first (nonce, salt, iterations), client-final with the proof, and the
/// server's signature checked so a broker that does not know the password cannot pass.
/// </summary>
internal sealed class ScramClient(string mechanism, string username, string password)
{
    private const int MinimumIterations = 4096;
    private readonly string clientNonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
    private string clientFirstBare = "";
    private byte[] expectedServerSignature = [];

    private HashAlgorithmName Hash => mechanism == Core.Config.SaslMechanisms.ScramSha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;

    public byte[] ClientFirst()
    {
        clientFirstBare = $"n={SaslName(username)},r={clientNonce}";
        return Encoding.UTF8.GetBytes("n,," + clientFirstBare);
    }

    public byte[] ClientFinal(byte[] serverFirstBytes)
    {
        var serverFirst = Encoding.UTF8.GetString(serverFirstBytes);
        var fields = Fields(serverFirst);
        if (!fields.TryGetValue('r', out var nonce) || !nonce.StartsWith(clientNonce, StringComparison.Ordinal)
            || !fields.TryGetValue('s', out var salt) || !fields.TryGetValue('i', out var iterationText)
            || !int.TryParse(iterationText, out var iterations))
        {
            throw new ClusterException($"the broker's SCRAM challenge is malformed: {serverFirst}");
        }
        if (iterations < MinimumIterations)
        {
            throw new ClusterException($"the broker asks for {iterations} SCRAM iterations, fewer than the minimum {MinimumIterations}");
        }
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), iterations, Hash, HashLength);
        var clientKey = Hmac(salted, "Client Key");
        var storedKey = Hash == HashAlgorithmName.SHA512 ? SHA512.HashData(clientKey) : SHA256.HashData(clientKey);
        var withoutProof = $"c=biws,r={nonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{withoutProof}");
        var signature = Hmac(storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ signature[i]);
        }
        expectedServerSignature = Hmac(Hmac(salted, "Server Key"), authMessage);
        return Encoding.UTF8.GetBytes($"{withoutProof},p={Convert.ToBase64String(proof)}");
    }

    public void VerifyServerFinal(byte[] serverFinalBytes)
    {
        var fields = Fields(Encoding.UTF8.GetString(serverFinalBytes));
        if (fields.TryGetValue('e', out var error))
        {
            throw new ClusterException($"SCRAM authentication failed: {error}");
        }
        if (!fields.TryGetValue('v', out var verifier)
            || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(verifier), expectedServerSignature))
        {
            throw new ClusterException("the broker's SCRAM signature is wrong: it does not know this user's credentials");
        }
    }

    private int HashLength => Hash == HashAlgorithmName.SHA512 ? 64 : 32;

    private byte[] Hmac(byte[] key, string text) => Hmac(key, Encoding.UTF8.GetBytes(text));

    private byte[] Hmac(byte[] key, byte[] data) => Hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);

    /// <summary>RFC 5802 saslname: '=' and ',' escaped.</summary>
    private static string SaslName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    private static Dictionary<char, string> Fields(string message) =>
        message.Split(',')
            .Where(f => f.Length >= 2 && f[1] == '=')
            .GroupBy(f => f[0])
            .ToDictionary(g => g.Key, g => g.First()[2..]);
}
