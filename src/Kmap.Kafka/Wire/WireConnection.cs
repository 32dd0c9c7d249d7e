using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using Kmap.Core.Cluster;
using Kmap.Core.Config;

namespace Kmap.Kafka.Wire;

/// <summary>
/// One connection to a broker, one request in flight at a time (callers open several connections for
/// concurrency): TCP, then TLS when the security protocol says so (<see cref="WireTls"/>), then SASL when it
/// says so (<see cref="WireSasl"/>). A cut connection surfaces as an <see cref="IOException"/> (retriable); a
/// refused certificate or refused credentials as a <see cref="ClusterException"/> (not retried).
/// </summary>
internal sealed class WireConnection : IDisposable
{
    private const string ClientId = "kmap";
    private const int MaxResponseBytes = 256 * 1024 * 1024;

    private readonly TcpClient _client;
    private readonly Stream _stream;
    private int _correlationId;

    private WireConnection(TcpClient client, Stream stream, WireBroker broker)
    {
        _client = client;
        _stream = stream;
        Broker = broker;
    }

    /// <summary>The broker at the other end, for error messages.</summary>
    public WireBroker Broker { get; }

    public static async Task<WireConnection> ConnectAsync(WireBroker broker, ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        WireConnection? connection = null;
        try
        {
            await client.ConnectAsync(broker.Host, broker.Port, cancellationToken);
            Stream stream = client.GetStream();
            if (SecurityProtocols.UsesTls(settings.EffectiveProtocol))
            {
                stream = await WireTls.StartAsync(stream, broker.Host, settings, cancellationToken);
            }
            connection = new WireConnection(client, stream, broker);
            if (SecurityProtocols.UsesSasl(settings.EffectiveProtocol))
            {
                await WireSasl.AuthenticateAsync(connection, settings, cancellationToken);
            }
            return connection;
        }
        catch (SocketException e)
        {
            Close(client, connection);
            throw new IOException($"cannot connect to {broker}: {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            Close(client, connection);
            throw new ClusterException($"TLS handshake with {broker} failed: {e.Message}; check -tls-ca (the CA that signed the broker's certificate, "
                + $"which must name {broker.Host}), and -tls-cert/-tls-key when the broker asks for a client certificate", e);
        }
        catch (CryptographicException e)
        {
            Close(client, connection);
            throw new ClusterException($"cannot use the TLS files for {broker}: {e.Message}; check -tls-ca, -tls-cert and -tls-key (PEM files)", e);
        }
        catch
        {
            Close(client, connection);
            throw;
        }
    }

    private static void Close(TcpClient client, WireConnection? connection)
    {
        connection?.Dispose();
        client.Dispose();
    }

    /// <summary>Connects to the first "host:port" of a bootstrap list that answers.</summary>
    public static async Task<WireConnection> ConnectAnyAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        IOException? first = null;
        foreach (var server in settings.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                failures.Add($"{server}: not host:port");
                continue;
            }
            try
            {
                return await ConnectAsync(new WireBroker(null, server[..colon].Trim('[', ']'), port), settings, cancellationToken);
            }
            catch (IOException e)
            {
                failures.Add(e.Message);
                first ??= e;
            }
        }
        throw new IOException($"no bootstrap broker answered ({string.Join("; ", failures)})", first);
    }

    /// <summary>
    /// Sends one request and returns the response body after its header. Flexible versions use request
    /// header v2 and response header v1 (with tag buffers); ApiVersions' response header is always v0.
    /// </summary>
    public async Task<WireReader> SendAsync(short apiKey, short version, bool flexible, Action<WireWriter> body, CancellationToken cancellationToken)
    {
        var id = ++_correlationId;
        await _stream.WriteAsync(Request(id, apiKey, version, flexible, body), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
        return await ReadResponseAsync(id, flexible, cancellationToken);
    }

    /// <summary>
    /// Sends requests of one API back to back and reads their answers in order (a broker answers a connection's
    /// requests in the order they came): many single-key requests of an old version cost one round trip.
    /// </summary>
    public async Task<IReadOnlyList<WireReader>> PipelineAsync(short apiKey, short version, bool flexible, IReadOnlyList<Action<WireWriter>> bodies, CancellationToken cancellationToken)
    {
        var first = _correlationId + 1;
        foreach (var body in bodies)
        {
            await _stream.WriteAsync(Request(++_correlationId, apiKey, version, flexible, body), cancellationToken);
        }
        await _stream.FlushAsync(cancellationToken);
        var answers = new List<WireReader>(bodies.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            answers.Add(await ReadResponseAsync(first + i, flexible, cancellationToken));
        }
        return answers;
    }

    private static ReadOnlyMemory<byte> Request(int id, short apiKey, short version, bool flexible, Action<WireWriter> body)
    {
        var writer = new WireWriter();
        writer.Int32(0);
        writer.Int16(apiKey);
        writer.Int16(version);
        writer.Int32(id);
        writer.NullableString16(ClientId);
        if (flexible)
        {
            writer.EmptyTaggedFields();
        }
        body(writer);
        writer.PatchSizePrefix();
        return writer.Written;
    }

    private async Task<WireReader> ReadResponseAsync(int id, bool flexible, CancellationToken cancellationToken)
    {
        var size = new byte[4];
        await _stream.ReadExactlyAsync(size, cancellationToken);
        var length = BinaryPrimitives.ReadInt32BigEndian(size);
        if (length < 4 || length > MaxResponseBytes)
        {
            throw new FormatException($"Kafka response of {length} bytes");
        }
        var frame = new byte[length];
        await _stream.ReadExactlyAsync(frame, cancellationToken);
        var reader = new WireReader(frame);
        var answered = reader.Int32();
        if (answered != id)
        {
            throw new FormatException($"Kafka answered correlation id {answered} to request {id}");
        }
        if (flexible)
        {
            reader.SkipTaggedFields();
        }
        return reader;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
