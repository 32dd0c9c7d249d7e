using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Kmap.Sandbox.Protocol;

namespace Kmap.Bench;

/// <summary>
/// A raw Kafka connection that keeps many requests in flight, as real clients pipeline them. Built on
/// the sandbox's own codec: the benchmark measures the broker, not a client library.
/// </summary>
internal sealed class PipelinedConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<byte[]>> _waiting = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Task _reader;
    private int _correlationId;

    private PipelinedConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = ReadLoopAsync();
    }

    public static async Task<PipelinedConnection> ConnectAsync(string bootstrap)
    {
        var first = bootstrap.Split(',')[0];
        var colon = first.LastIndexOf(':');
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(first[..colon], int.Parse(first[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return new PipelinedConnection(client);
    }

    public async Task<TResponse> SendAsync<TRequest, TResponse>(ApiKey key, short version, bool flexible, TRequest request)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        var id = Interlocked.Increment(ref _correlationId);
        var writer = new KafkaWriter();
        writer.Int32(0); // size, patched below
        new RequestHeader(key, version, id, "kmap-bench").Write(writer, flexible);
        writer.Flexible = flexible;
        request.Write(writer, version);
        var frame = writer.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);

        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = done;
        await _writeGate.WaitAsync();
        try
        {
            await _stream.WriteAsync(frame);
        }
        finally
        {
            _writeGate.Release();
        }
        var body = await done.Task;
        var reader = new KafkaReader(body, flexible);
        reader.Flexible = flexible && key != ApiKey.ApiVersions;
        reader.TaggedFields();
        reader.Flexible = flexible;
        return TResponse.Read(reader, version);
    }

    private async Task ReadLoopAsync()
    {
        var size = new byte[4];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(size);
                var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
                await _stream.ReadExactlyAsync(frame);
                var id = BinaryPrimitives.ReadInt32BigEndian(frame);
                if (_waiting.TryRemove(id, out var waiter))
                {
                    waiter.SetResult(frame[4..]);
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException)
        {
            foreach (var waiter in _waiting.Values)
            {
                waiter.TrySetException(new IOException("connection closed", e));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        try
        {
            await _reader;
        }
        catch (IOException)
        {
        }
        _writeGate.Dispose();
    }
}
