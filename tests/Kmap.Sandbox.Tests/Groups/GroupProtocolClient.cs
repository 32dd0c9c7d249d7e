using System.Buffers.Binary;
using System.Net.Sockets;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Tests.Groups;

/// <summary>
/// A minimal Kafka client over one TCP connection, built on the sandbox's own message records, for tests of
/// the group APIs that need no records (JoinGroup, SyncGroup, OffsetCommit, ...). One request at a time.
/// </summary>
public sealed class GroupProtocolClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _correlationId;

    private GroupProtocolClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public string ClientId { get; init; } = "group-test-client";

    public static async Task<GroupProtocolClient> ConnectAsync(string hostPort, string clientId = "group-test-client")
    {
        var colon = hostPort.LastIndexOf(':');
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(hostPort[..colon], int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), TestContext.Current.CancellationToken);
        return new GroupProtocolClient(tcp) { ClientId = clientId };
    }

    public static Task<GroupProtocolClient> ConnectAsync(SandboxCluster sandbox, int brokerId, string clientId = "group-test-client")
    {
        var broker = sandbox.State.Brokers.Single(b => b.Id == brokerId);
        return ConnectAsync($"{broker.Host}:{broker.Port}", clientId);
    }

    public async Task<TResponse> SendAsync<TRequest, TResponse>(ApiHandler<TRequest, TResponse> api, short version, TRequest request)
        where TRequest : IKafkaMessage<TRequest>
        where TResponse : IKafkaMessage<TResponse>
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var flexible = version >= api.FirstFlexibleVersion;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var correlationId = ++_correlationId;
            var writer = new KafkaWriter();
            writer.Int32(0);
            new RequestHeader(api.Key, version, correlationId, ClientId).Write(writer, flexible);
            request.Write(writer, version);
            var frame = writer.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(frame, frame.Length - 4);
            await _stream.WriteAsync(frame, cancellationToken);

            var sizeBytes = new byte[4];
            await _stream.ReadExactlyAsync(sizeBytes, cancellationToken);
            var body = new byte[BinaryPrimitives.ReadInt32BigEndian(sizeBytes)];
            await _stream.ReadExactlyAsync(body, cancellationToken);
            var reader = new KafkaReader(body, flexible);
            Assert.Equal(correlationId, reader.Int32());
            reader.TaggedFields();
            var response = TResponse.Read(reader, version);
            Assert.Equal(0, reader.Remaining);
            return response;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
        _gate.Dispose();
    }
}
