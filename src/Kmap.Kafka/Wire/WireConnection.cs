using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;

namespace Kmap.Kafka.Wire;

/// <summary>
/// One plaintext TCP connection to a broker, one request in flight at a time (callers open several
/// connections for concurrency). Only for the requests librdkafka cannot batch; never for TLS/SASL.
/// </summary>
internal sealed class WireConnection : IDisposable
{
    private const string ClientId = "kmap";
    private const int MaxResponseBytes = 256 * 1024 * 1024;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private WireConnection(TcpClient client, WireBroker broker)
    {
        _client = client;
        _stream = client.GetStream();
        Broker = broker;
    }

    /// <summary>The broker at the other end, for error messages.</summary>
    public WireBroker Broker { get; }

    public static async Task<WireConnection> ConnectAsync(WireBroker broker, CancellationToken cancellationToken)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(broker.Host, broker.Port, cancellationToken);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new IOException($"cannot connect to {broker}: {e.Message}", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return new WireConnection(client, broker);
    }

    /// <summary>Connects to the first "host:port" of a bootstrap list that answers.</summary>
    public static async Task<WireConnection> ConnectAnyAsync(string bootstrapServers, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (var server in bootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = server.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(server[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                failures.Add($"{server}: not host:port");
                continue;
            }
            try
            {
                return await ConnectAsync(new WireBroker(null, server[..colon].Trim('[', ']'), port), cancellationToken);
            }
            catch (IOException e)
            {
                failures.Add(e.Message);
            }
        }
        throw new IOException($"no bootstrap broker answered ({string.Join("; ", failures)})");
    }

    /// <summary>
    /// Sends one request and returns the response body after its header. Flexible versions use request
    /// header v2 and response header v1 (with tag buffers); ApiVersions' response header is always v0.
    /// </summary>
    public async Task<WireReader> SendAsync(short apiKey, short version, bool flexible, Action<WireWriter> body, CancellationToken cancellationToken)
    {
        var id = ++_correlationId;
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
        await _stream.WriteAsync(writer.Written, cancellationToken);

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
