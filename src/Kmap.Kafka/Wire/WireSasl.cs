using System.Text;
using Kmap.Core.Cluster;
using Kmap.Core.Config;

namespace Kmap.Kafka.Wire;

/// <summary>
/// SASL on a freshly opened hand-written connection, before any other request: SaslHandshake v1 names the
/// mechanism, then SaslAuthenticate v0 carries the tokens: PLAIN (RFC 4616) in one round, SCRAM-SHA-256/512
/// (RFC 5802, RFC 7677, client side in <see cref="ScramClient"/>) in two, with the broker's signature checked.
/// A refusal is not retried: the message names the broker, the mechanism and the user, never the password.
/// </summary>
internal static class WireSasl
{
    private const short SaslHandshakeKey = 17;
    private const short SaslAuthenticateKey = 36;

    public static async Task AuthenticateAsync(WireConnection connection, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var mechanism = settings.EffectiveSaslMechanism;
        var user = settings.SaslUsername ?? "";
        var password = settings.SaslPassword ?? "";
        var handshake = await connection.SendAsync(SaslHandshakeKey, 1, flexible: false, w => w.NullableString16(mechanism), cancellationToken);
        var error = handshake.Int16();
        if (error != KafkaErrorCodes.None)
        {
            var offered = new List<string>();
            var count = handshake.ArrayLength();
            for (var i = 0; i < count; i++)
            {
                offered.Add(handshake.NullableString16() ?? "");
            }
            throw new ClusterException($"{connection.Broker} does not accept SASL mechanism {mechanism} (it offers {(offered.Count == 0 ? "none" : string.Join(", ", offered))}); "
                + "set -sasl-mechanism (or sasl.mechanism) to one it offers");
        }
        try
        {
            if (mechanism == SaslMechanisms.Plain)
            {
                // RFC 4616: authzid NUL authcid NUL password; the authzid is left empty.
                await StepAsync(connection, Encoding.UTF8.GetBytes($"\0{user}\0{password}"), cancellationToken);
                return;
            }
            var scram = new ScramClient(mechanism, user, password);
            var serverFirst = await StepAsync(connection, scram.ClientFirst(), cancellationToken);
            var serverFinal = await StepAsync(connection, scram.ClientFinal(serverFirst), cancellationToken);
            scram.VerifyServerFinal(serverFinal);
        }
        catch (ClusterException e)
        {
            throw new ClusterException($"SASL {mechanism} authentication of user '{user}' failed on {connection.Broker}: {e.Message}; "
                + $"check the user name and the password (-sasl-username, -sasl-password, {ConnectionSettingsBuilder.PasswordVariable} or -command-config)", e);
        }
    }

    /// <summary>One SaslAuthenticate v0 round: our token out, the broker's token back, or its refusal.</summary>
    private static async Task<byte[]> StepAsync(WireConnection connection, byte[] token, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(SaslAuthenticateKey, 0, flexible: false, w => w.Bytes(token), cancellationToken);
        var code = answer.Int16();
        var message = answer.NullableString16();
        var reply = answer.Bytes();
        if (code != KafkaErrorCodes.None)
        {
            throw new ClusterException($"the broker refused the credentials ({(string.IsNullOrEmpty(message) ? $"Kafka error code {code}" : message)})");
        }
        return reply;
    }
}
