using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Kmap.Core.Cluster;
using Kmap.Core.Config;

namespace Kmap.Kafka.DescribeLogDirs;

/// <summary>
/// One connection to one broker for the requests librdkafka does not offer (DescribeLogDirs):
/// TCP, TLS when the protocol says so, SASL (PLAIN, SCRAM-SHA-256/512) when asked. Non-flexible request versions only.
/// </summary>
internal sealed class BrokerConnection : IAsyncDisposable
{
    private const short SaslHandshakeKey = 17;
    private const short SaslAuthenticateKey = 36;
    private const int MaxResponseBytes = 256 * 1024 * 1024;

    private readonly TcpClient tcp;
    private readonly Stream stream;
    private readonly string broker;
    private int correlationId;

    private BrokerConnection(TcpClient tcp, Stream stream, string broker)
    {
        this.tcp = tcp;
        this.stream = stream;
        this.broker = broker;
    }

    public static async Task<BrokerConnection> OpenAsync(string host, int port, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var broker = $"{host}:{port}";
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken);
            Stream stream = tcp.GetStream();
            if (SecurityProtocols.UsesTls(settings.EffectiveProtocol))
            {
                stream = await Wire.WireTls.StartAsync(stream, host, settings, cancellationToken);
            }
            var connection = new BrokerConnection(tcp, stream, broker);
            if (SecurityProtocols.UsesSasl(settings.EffectiveProtocol))
            {
                await connection.AuthenticateAsync(settings, cancellationToken);
            }
            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            tcp.Dispose();
            throw new ClusterException($"cannot connect to broker {broker}: {e.Message}", e);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        tcp.Dispose();
    }

    /// <summary>Sends one request and returns the response body (after the correlation id).</summary>
    public async Task<WireReader> SendAsync(short apiKey, short apiVersion, byte[] body, CancellationToken cancellationToken)
    {
        var id = ++correlationId;
        await stream.WriteAsync(WireWriter.Frame(apiKey, apiVersion, id, "kmap", body), cancellationToken);
        await stream.FlushAsync(cancellationToken);
        var sizeBytes = new byte[4];
        await stream.ReadExactlyAsync(sizeBytes, cancellationToken);
        var size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
        if (size is < 4 or > MaxResponseBytes)
        {
            throw new ClusterException($"broker {broker} sent a response of {size} bytes to request {apiKey} v{apiVersion}: not Kafka, or the wrong security protocol?");
        }
        var response = new byte[size];
        await stream.ReadExactlyAsync(response, cancellationToken);
        var reader = new WireReader(response);
        var answered = reader.Int32();
        if (answered != id)
        {
            throw new ClusterException($"broker {broker} answered correlation id {answered} to request {id}");
        }
        return reader;
    }

    private async Task AuthenticateAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var mechanism = settings.EffectiveSaslMechanism;
        var handshake = await SendAsync(SaslHandshakeKey, 1, new WireWriter().String(mechanism).ToArray(), cancellationToken);
        var error = handshake.Int16();
        if (error != 0)
        {
            throw new ClusterException($"broker {broker} refused SASL mechanism {mechanism} (error {error})");
        }
        if (mechanism == SaslMechanisms.Plain)
        {
            // RFC 4616: authzid NUL authcid NUL password.
            await AuthenticateStepAsync(Encoding.UTF8.GetBytes($"\0{settings.SaslUsername}\0{settings.SaslPassword}"), cancellationToken);
            return;
        }
        var scram = new ScramClient(mechanism, settings.SaslUsername ?? "", settings.SaslPassword ?? "");
        var serverFirst = await AuthenticateStepAsync(scram.ClientFirst(), cancellationToken);
        var serverFinal = await AuthenticateStepAsync(scram.ClientFinal(serverFirst), cancellationToken);
        scram.VerifyServerFinal(serverFinal);
    }

    /// <summary>One SaslAuthenticate v0 round: our token out, the broker's token back, or its error.</summary>
    private async Task<byte[]> AuthenticateStepAsync(byte[] token, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(SaslAuthenticateKey, 0, new WireWriter().Bytes(token).ToArray(), cancellationToken);
        var code = answer.Int16();
        var message = answer.NullableString();
        if (code != 0)
        {
            throw new ClusterException($"broker {broker} refused the SASL credentials: {message ?? $"error {code}"}");
        }
        return answer.Bytes();
    }
}
