using System.Buffers.Binary;
using System.Net.Sockets;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Support;

/// <summary>
/// A bare Kafka connection for tests: sends frames built with the sandbox's own writer and reads
/// response frames. Used to test what no well-behaved client would send (malformed frames) and exact
/// protocol answers. Real-client behaviour is checked by tests/Conformance, not here.
/// </summary>
public sealed class RawKafkaConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private RawKafkaConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawKafkaConnection> ConnectAsync(string hostPort)
    {
        var first = hostPort.Split(',')[0];
        var colon = first.LastIndexOf(':');
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(first[..colon], int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new RawKafkaConnection(client);
    }

    /// <summary>Sends a request and returns the response body (after correlation id and, if flexible, the header tag buffer).</summary>
    public async Task<KafkaReader> SendAsync<T>(ApiKey key, short version, T body, bool flexible, CancellationToken cancellationToken = default)
        where T : IKafkaMessage<T>
    {
        var correlationId = ++_correlationId;
        var writer = new KafkaWriter();
        new RequestHeader(key, version, correlationId, "raw-test").Write(writer, flexible);
        writer.Flexible = flexible;
        body.Write(writer, version);
        await SendFrameAsync(writer.ToArray(), cancellationToken);
        var response = await ReadFrameAsync(cancellationToken) ?? throw new IOException("connection closed before the response");
        var reader = new KafkaReader(response);
        Assert.Equal(correlationId, reader.Int32());
        // ApiVersions responses never carry the header tag buffer.
        reader.Flexible = flexible && key != ApiKey.ApiVersions;
        reader.TaggedFields();
        reader.Flexible = flexible;
        return reader;
    }

    public async Task<TResponse> RoundTripAsync<TRequest, TResponse>(ApiKey key, short version, TRequest request, bool flexible, CancellationToken cancellationToken = default)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        var reader = await SendAsync(key, version, request, flexible, cancellationToken);
        return TResponse.Read(reader, version);
    }

    public async Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken = default)
    {
        var size = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(size, frame.Length);
        await _stream.WriteAsync(size, cancellationToken);
        await _stream.WriteAsync(frame, cancellationToken);
    }

    public Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken = default) => _stream.WriteAsync(bytes, cancellationToken).AsTask();

    /// <summary>Reads one response frame; null when the broker closed the connection.</summary>
    public async Task<byte[]?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        var size = new byte[4];
        if (!await ReadExactlyAsync(size, cancellationToken))
        {
            return null;
        }
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        return await ReadExactlyAsync(frame, cancellationToken) ? frame : null;
    }

    /// <summary>True when the broker closes the connection (reads end) within the timeout.</summary>
    public async Task<bool> IsClosedByBrokerAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            var buffer = new byte[1];
            return await _stream.ReadAsync(buffer, limit.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            }
            catch (IOException)
            {
                return false;
            }
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
