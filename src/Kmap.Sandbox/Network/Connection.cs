using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Protocol;
using Kmap.Sandbox.Security;

namespace Kmap.Sandbox.Network;

/// <summary>
/// One client connection. Requests are handled one at a time in arrival order, as a Kafka broker
/// does (it mutes a channel while a request is in flight). Responses go through a delay line: each
/// leaves <see cref="SandboxOptions.Latency"/> after its request arrived, so pipelined requests
/// overlap their delays the way they would on a real network.
/// </summary>
internal sealed class Connection
{
    /// <summary>
    /// Kafka's connection.failed.authentication.delay.ms: a connection that failed authentication stays
    /// open (unread) this long after its last response before it is closed. Clients that read a response
    /// and the end of the stream together (kafka-python) would otherwise drop the response and report
    /// only "socket disconnected" instead of the broker's reason.
    /// </summary>
    private static readonly TimeSpan FailedAuthenticationCloseDelay = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket;
    private readonly Broker _broker;
    private readonly ClusterState _cluster;
    private readonly ApiRegistry _apis;
    private readonly TlsServer? _tls;
    private readonly ConnectionState _state = new();
    private readonly Channel<(long DueTicks, byte[] Frame)> _outbox =
        Channel.CreateUnbounded<(long, byte[])>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly string _peer;
    private readonly ConnectionFaults _faults;

    public Connection(Socket socket, Broker broker, ClusterState cluster, ApiRegistry apis, TlsServer? tls)
    {
        _socket = socket;
        _broker = broker;
        _cluster = cluster;
        _apis = apis;
        _tls = tls;
        _peer = socket.RemoteEndPoint is IPEndPoint ip ? ip.Address.ToString() : "unknown";
        _state.Authenticated = !cluster.Options.UsesSasl;
        _faults = cluster.Faults.ForConnection(broker, _peer);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Stream stream = new NetworkStream(_socket, ownsSocket: true);
        try
        {
            if (_tls is not null)
            {
                stream = await _tls.AuthenticateAsync(stream, linked.Token);
            }
            var writer = WriteLoopAsync(stream, linked.Token);
            try
            {
                await ReadLoopAsync(stream, linked.Token);
            }
            finally
            {
                _outbox.Writer.TryComplete();
                await writer;
            }
            if (_state.CloseAfterResponse is not null)
            {
                await Task.Delay(FailedAuthenticationCloseDelay, _cluster.Time, linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ProtocolException e)
        {
            _cluster.Log($"broker {_broker.Id}: closing connection from {_peer}: {e.Message}");
        }
        catch (ConnectionDroppedException e)
        {
            _cluster.Log($"broker {_broker.Id}: closing connection from {_peer}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The client went away or failed the TLS handshake: nothing to answer.
            if (e is System.Security.Authentication.AuthenticationException)
            {
                _cluster.Log($"broker {_broker.Id}: TLS handshake with {_peer} failed: {e.Message}");
            }
        }
        catch (Exception e)
        {
            // A bug in a handler must cost one connection, never the broker.
            _cluster.Log($"broker {_broker.Id}: internal error on connection from {_peer}, closing it: {e}");
        }
        finally
        {
            await linked.CancelAsync();
            await stream.DisposeAsync();
        }
    }

    private async Task ReadLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        var sizeBuffer = new byte[4];
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!await ReadExactlyOrEofAsync(stream, sizeBuffer, cancellationToken))
            {
                return;
            }
            var size = BinaryPrimitives.ReadInt32BigEndian(sizeBuffer);
            if (size < 0 || size > _cluster.Options.MaxFrameBytes)
            {
                throw new ProtocolException($"frame size {size} outside 0..{_cluster.Options.MaxFrameBytes}");
            }
            var frame = new byte[size];
            if (!await ReadExactlyOrEofAsync(stream, frame, cancellationToken))
            {
                throw new ProtocolException($"connection closed inside a {size}-byte frame");
            }
            var arrived = _cluster.Time.GetTimestamp();

            if (_state.RawSaslTokens)
            {
                // After SaslHandshake v0 the client sends bare tokens; the answer is a bare token too.
                // A failure is not answered at all: Kafka just closes the connection.
                try
                {
                    EnqueueRawToken(arrived, SaslServer.Evaluate(_cluster, _state, frame));
                }
                catch (SaslFailedException e)
                {
                    _state.CloseAfterResponse = $"SASL {_state.SaslMechanism} authentication failed: {e.Message}";
                    _cluster.Log($"broker {_broker.Id}: closing connection from {_peer}: {_state.CloseAfterResponse}");
                    return;
                }
                continue;
            }

            var response = await HandleAsync(frame, cancellationToken);
            if (response is not null)
            {
                Enqueue(arrived, response);
            }
            if (_state.CloseAfterResponse is { } reason)
            {
                // The write loop still sends what is queued (the error response), then the connection closes.
                _cluster.Log($"broker {_broker.Id}: closing connection from {_peer}: {reason}");
                return;
            }
        }
    }

    private async Task<byte[]?> HandleAsync(byte[] frame, CancellationToken cancellationToken)
    {
        var reader = new KafkaReader(frame);
        var header = RequestHeader.Read(reader);
        var handler = _apis.Find(header.ApiKey);
        var range = _apis.Range(header.ApiKey);
        _cluster.Requests.Count(header.ApiKey);

        if (header.ApiKey == ApiKey.ApiVersions && (range is null || header.ApiVersion > range.MaxVersion))
        {
            // Kafka answers an ApiVersions version it does not know in v0 format, with its own range, so clients can retry lower.
            return Frame(header.CorrelationId, flexibleHeader: false, ApiVersionsHandler.UnsupportedVersionBody(_apis));
        }
        // Any other API or version the release does not have: Kafka answers nothing, logs "Closing socket for …
        // because of error" (InvalidRequestException from SocketServer.parseRequestHeader or RequestContext.parseRequest)
        // and closes the connection.
        var release = $"Kafka {_apis.Profile.Name}";
        if (handler is null || range is null)
        {
            throw new ProtocolException($"API key {(short)header.ApiKey} (version {header.ApiVersion}) from client '{header.ClientId}' is not enabled in {release}");
        }
        if (header.ApiVersion < range.MinVersion || header.ApiVersion > range.MaxVersion)
        {
            throw new ProtocolException($"{header.ApiKey} version {header.ApiVersion} from client '{header.ClientId}' is not enabled in {release} (versions {range.MinVersion}..{range.MaxVersion})");
        }
        if (!_state.Authenticated && header.ApiKey is not (ApiKey.ApiVersions or ApiKey.SaslHandshake or ApiKey.SaslAuthenticate))
        {
            throw new ProtocolException($"{header.ApiKey} request before SASL authentication from client '{header.ClientId}'");
        }

        var flexible = header.ApiVersion >= handler.FirstFlexibleVersion;
        reader.Flexible = flexible;
        reader.TaggedFields();
        var context = new RequestContext(header, _broker, _cluster, _peer, _state, _apis);
        var body = await _faults.BeforeHandleAsync(header, handler, reader, cancellationToken) is { } injected
            ? injected.Body
            : await handler.HandleAsync(context, reader, cancellationToken);
        if (header.ApiKey.ChangesPersistentState())
        {
            // One place marks the state changed, so no handler can forget to (Metadata may auto-create topics).
            lock (_cluster.Sync)
            {
                _cluster.MarkChanged();
            }
        }
        if (body is null)
        {
            return null;
        }
        // ApiVersions responses never carry the flexible header tag buffer, even at v3.
        var flexibleHeader = flexible && header.ApiKey != ApiKey.ApiVersions;
        return Frame(header.CorrelationId, flexibleHeader, body.Written.Span);
    }

    private static byte[] Frame(int correlationId, bool flexibleHeader, ReadOnlySpan<byte> body)
    {
        var headerSize = flexibleHeader ? 5 : 4;
        var frame = new byte[4 + headerSize + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, headerSize + body.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), correlationId);
        // frame[8] stays 0: an empty tag buffer.
        body.CopyTo(frame.AsSpan(4 + headerSize));
        return frame;
    }

    private void Enqueue(long arrivedTimestamp, byte[] frame)
    {
        var due = arrivedTimestamp + (long)(_cluster.Options.Latency.TotalSeconds * _cluster.Time.TimestampFrequency);
        _outbox.Writer.TryWrite((due, frame));
    }

    /// <summary>A bare token goes out with only its int32 size in front (named apart: a byte[] would bind to the frame overload).</summary>
    private void EnqueueRawToken(long arrivedTimestamp, ReadOnlySpan<byte> rawToken)
    {
        var frame = new byte[4 + rawToken.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, rawToken.Length);
        rawToken.CopyTo(frame.AsSpan(4));
        Enqueue(arrivedTimestamp, frame);
    }

    private async Task WriteLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (due, frame) in _outbox.Reader.ReadAllAsync(cancellationToken))
            {
                var wait = _cluster.Time.GetElapsedTime(_cluster.Time.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    // Timers count whole milliseconds and truncate: round up, or 1 ms of latency would be none at all.
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _cluster.Time, cancellationToken);
                }
                await stream.WriteAsync(frame, cancellationToken);
                if (!_outbox.Reader.TryPeek(out _))
                {
                    await stream.FlushAsync(cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is going away; the read loop ends it.
        }
    }

    private static async Task<bool> ReadExactlyOrEofAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                if (read == 0)
                {
                    return false;
                }
                throw new ProtocolException($"connection closed after {read} of {buffer.Length} bytes");
            }
            read += n;
        }
        return true;
    }
}
