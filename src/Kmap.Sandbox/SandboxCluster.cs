using System.Net;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Network;
using Kmap.Sandbox.Security;
using Kmap.Sandbox.Storage;

namespace Kmap.Sandbox;

/// <summary>
/// A Kafka-protocol cluster on loopback, in this process. Start it, hand <see cref="BootstrapServers"/>
/// to any Kafka client, dispose it to stop every broker.
/// </summary>
public sealed class SandboxCluster : IAsyncDisposable
{
    private readonly List<BrokerListener> _listeners = [];
    private readonly TlsServer? _tls;
    private DataDirectory? _dataDirectory;

    private SandboxCluster(SandboxOptions options, TimeProvider time)
    {
        State = new ClusterState(options, time);
        if (options.UsesTls)
        {
            _tls = new TlsServer(options.TlsCertificateFile!, options.TlsKeyFile!, options.TlsClientCaFile);
        }
    }

    public ClusterState State { get; }
    public SandboxOptions Options => State.Options;

    /// <summary>host:port of every broker, comma-separated, as clients take it.</summary>
    public string BootstrapServers => string.Join(',', State.Brokers.Select(b => $"{b.Host}:{b.Port}"));

    public static async Task<SandboxCluster> StartAsync(SandboxOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        if (options.BrokerCount < 1)
        {
            throw new ArgumentException($"a cluster needs at least one broker, not {options.BrokerCount}", nameof(options));
        }
        var cluster = new SandboxCluster(options, time ?? TimeProvider.System);
        try
        {
            await cluster.BindAsync(cancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    private Task BindAsync(CancellationToken cancellationToken)
    {
        var options = State.Options;
        var address = IPAddress.Parse(options.Host == "localhost" ? "127.0.0.1" : options.Host);
        var apis = ApiRegistry.All();
        for (var id = 0; id < options.BrokerCount; id++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A fixed first port means consecutive ports; port 0 lets the OS pick each one.
            var port = options.Port == 0 ? 0 : options.Port + id;
            var listener = new BrokerListener(new IPEndPoint(address, port), State, apis, _tls);
            _listeners.Add(listener);
            listener.Bind();
            var broker = new Broker(id, options.Host, listener.Port);
            listener.Broker = broker;
            State.Brokers.Add(broker);
        }
        if (options.DataDirectory is not null)
        {
            _dataDirectory = DataDirectory.Open(State, options.DataDirectory);
        }
        foreach (var listener in _listeners)
        {
            listener.StartAccepting();
        }
        State.Log($"sandbox cluster '{State.ClusterId}' with {options.BrokerCount} broker(s) listening on {BootstrapServers}");
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync();
        }
        if (_dataDirectory is not null)
        {
            await _dataDirectory.DisposeAsync();
        }
        State.Groups.Dispose();
        _tls?.Dispose();
    }
}
