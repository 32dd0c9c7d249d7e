using System.Net;
using System.Net.Sockets;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Security;

namespace Kmap.Sandbox.Network;

/// <summary>Accepts connections for one broker and runs each on its own task.</summary>
internal sealed class BrokerListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ClusterState _cluster;
    private readonly ApiRegistry _apis;
    private readonly TlsServer? _tls;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private Task? _acceptLoop;

    public BrokerListener(IPEndPoint endpoint, ClusterState cluster, ApiRegistry apis, TlsServer? tls)
    {
        _listener = new TcpListener(endpoint);
        _cluster = cluster;
        _apis = apis;
        _tls = tls;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Broker? Broker { get; set; }

    public void Bind() => _listener.Start(backlog: 512);

    public void StartAccepting() => _acceptLoop = AcceptLoopAsync(_stop.Token);

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            var connection = new Connection(socket, Broker!, _cluster, _apis, _tls);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(connection.RunAsync(cancellationToken));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }
        Task[] running;
        lock (_connections)
        {
            running = [.. _connections];
        }
        await Task.WhenAll(running);
        _stop.Dispose();
    }
}
