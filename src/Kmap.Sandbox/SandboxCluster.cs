using System.Net;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Faults;
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
    // Indexed by broker id; null while that broker is stopped by a fault.
    private readonly List<BrokerListener?> _listeners = [];
    private readonly TlsServer? _tls;
    private readonly SemaphoreSlim _brokerChanges = new(1, 1);
    private DataDirectory? _dataDirectory;
    private FaultSchedule? _schedule;
    private IPAddress _address = IPAddress.Loopback;
    private readonly ApiRegistry _apis;

    private SandboxCluster(SandboxOptions options, TimeProvider time)
    {
        State = new ClusterState(options, time);
        var profile = KafkaVersionProfile.Find(options.KafkaVersion) ?? KafkaVersionProfile.Newest;
        _apis = ApiRegistry.All(options.UnstableApiVersions ? profile.WithUnstableApis() : profile);
        if (options.UsesTls)
        {
            _tls = new TlsServer(options.TlsCertificateFile!, options.TlsKeyFile!, options.TlsClientCaFile);
        }
    }

    public ClusterState State { get; }
    public SandboxOptions Options => State.Options;

    /// <summary>The fault rules (errors, stalls, drops): change them while the cluster runs, read what they did.</summary>
    public FaultInjector Faults => State.Faults;

    /// <summary>host:port of every broker, comma-separated, as clients take it.</summary>
    public string BootstrapServers => string.Join(',', State.Brokers.Select(b => $"{b.Host}:{b.Port}"));

    public static async Task<SandboxCluster> StartAsync(SandboxOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        if (options.BrokerCount < 1)
        {
            throw new ArgumentException($"a cluster needs at least one broker, not {options.BrokerCount}", nameof(options));
        }
        if (KafkaVersionProfile.Find(options.KafkaVersion) is null)
        {
            throw new ArgumentException($"Kafka version '{options.KafkaVersion}' has no profile; the sandbox speaks {string.Join(", ", KafkaVersionProfile.All.Select(p => p.Name))}", nameof(options));
        }
        if (options.Faults.Outages.FirstOrDefault(o => o.BrokerId >= options.BrokerCount) is { } outage)
        {
            throw new ArgumentException($"fault 'down={outage.BrokerId}:…' names broker {outage.BrokerId}, but the cluster has brokers 0..{options.BrokerCount - 1}", nameof(options));
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
        _address = address;
        var apis = _apis;
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
            listener!.StartAccepting();
        }
        _schedule = FaultSchedule.Start(this, options.Faults);
        State.Log($"sandbox cluster '{State.ClusterId}' with {options.BrokerCount} broker(s) listening on {BootstrapServers}");
        return Task.CompletedTask;
    }

    /// <summary>Whether broker <paramref name="brokerId"/> is listening (false between <see cref="StopBrokerAsync"/> and <see cref="RestartBrokerAsync"/>).</summary>
    public bool IsRunning(int brokerId) => _listeners[BrokerIndex(brokerId)] is not null;

    /// <summary>
    /// Stops a broker as a crash would look from outside: its listener closes and every connection to it is cut.
    /// Its partitions and the groups it coordinates stay where they are, so clients must wait for the restart.
    /// </summary>
    public async Task StopBrokerAsync(int brokerId)
    {
        var index = BrokerIndex(brokerId);
        await _brokerChanges.WaitAsync();
        try
        {
            if (_listeners[index] is { } listener)
            {
                // Closed first, then marked stopped: whoever sees IsRunning false finds the port closed.
                await listener.DisposeAsync();
                _listeners[index] = null;
                State.Log($"fault: broker {brokerId} stopped");
            }
        }
        finally
        {
            _brokerChanges.Release();
        }
    }

    /// <summary>Starts a stopped broker again on the same port.</summary>
    public async Task RestartBrokerAsync(int brokerId)
    {
        var index = BrokerIndex(brokerId);
        await _brokerChanges.WaitAsync();
        try
        {
            if (_listeners[index] is null)
            {
                var broker = State.Brokers[index];
                var listener = new BrokerListener(new IPEndPoint(_address, broker.Port), State, _apis, _tls) { Broker = broker };
                listener.Bind();
                listener.StartAccepting();
                _listeners[index] = listener;
                State.Log($"fault: broker {brokerId} restarted on port {broker.Port}");
            }
        }
        finally
        {
            _brokerChanges.Release();
        }
    }

    /// <summary>Moves every group's coordinator to the next broker: clients then get NOT_COORDINATOR and must find it again.</summary>
    public void MoveCoordinators()
    {
        lock (State.Sync)
        {
            State.CoordinatorShift++;
        }
        State.Log($"fault: group coordinators moved to the next broker (shift {State.CoordinatorShift})");
    }

    // ------------------------------------------------------------ test hooks: Kafka 4 group types
    // The sandbox serves ConsumerGroupHeartbeat for real, but has no ShareGroupHeartbeat or StreamsGroupHeartbeat:
    // these hooks create share and streams groups, and add members that never heartbeat and never expire, so that
    // tests (and `kmap sandbox` seeds) can show every group type to the describe and offset APIs.

    /// <summary>
    /// Creates an empty share group (or finds it), with a start offset for each given partition. Throws if the id
    /// is taken by a group of another type.
    /// </summary>
    public void CreateShareGroup(string groupId, IReadOnlyDictionary<(string Topic, int Partition), long>? startOffsets = null)
    {
        State.Groups.CreateGroup(groupId, Groups.GroupType.Share);
        foreach (var ((topic, partition), offset) in startOffsets ?? new Dictionary<(string, int), long>())
        {
            State.Groups.SeedShareStartOffset(groupId, topic, partition, offset);
        }
    }

    /// <summary>Creates an empty streams group (or finds it) with the given committed offsets.</summary>
    public void CreateStreamsGroup(string groupId, IReadOnlyDictionary<(string Topic, int Partition), long>? committedOffsets = null)
    {
        State.Groups.CreateGroup(groupId, Groups.GroupType.Streams);
        foreach (var ((topic, partition), offset) in committedOffsets ?? new Dictionary<(string, int), long>())
        {
            State.Groups.SeedOffset(groupId, topic, partition, offset);
        }
    }

    /// <summary>
    /// Adds a member subscribed to <paramref name="topics"/> to a consumer, share or streams group: the group
    /// epoch advances, the member gets its assignment at once, and the group is no longer empty. Returns the member id.
    /// </summary>
    public string AddGroupMember(string groupId, IReadOnlyList<string> topics, string clientId = "sandbox-test-member") =>
        State.Groups.AddStaticTestMember(groupId, topics, clientId);

    /// <summary>
    /// Creates the group a seed describes, creating its topics first when they are missing (with as many
    /// partitions as the seed names); a classic seed's offsets are stored as an admin commit would store them.
    /// Returns the member id when the seed asked for a member.
    /// </summary>
    public string? Seed(Groups.GroupSeed seed)
    {
        lock (State.Sync)
        {
            foreach (var topic in seed.Offsets.GroupBy(o => o.Topic, StringComparer.Ordinal))
            {
                if (ClusterState.ValidateTopicName(topic.Key) is { } invalid)
                {
                    throw new InvalidOperationException($"group '{seed.GroupId}': {invalid}");
                }
                if (topic.Max(o => o.Partition) >= Log.Topic.MaxPartitions)
                {
                    throw new InvalidOperationException($"group '{seed.GroupId}': topic '{topic.Key}' cannot have partition {topic.Max(o => o.Partition)} (at most {Log.Topic.MaxPartitions - 1})");
                }
                if (!State.Topics.ContainsKey(topic.Key))
                {
                    State.CreateTopic(topic.Key, topic.Max(o => o.Partition) + 1, 1);
                }
            }
        }
        State.Groups.CreateGroup(seed.GroupId, seed.Type);
        foreach (var (topic, partition, offset) in seed.Offsets)
        {
            if (seed.Type == Groups.GroupType.Share)
            {
                State.Groups.SeedShareStartOffset(seed.GroupId, topic, partition, offset);
            }
            else
            {
                State.Groups.SeedOffset(seed.GroupId, topic, partition, offset);
            }
        }
        State.Log($"seeded {seed.Type.ToString().ToLowerInvariant()} group '{seed.GroupId}' with {seed.Offsets.Count} offset(s){(seed.WithMember ? " and a member" : "")}");
        return seed.WithMember
            ? AddGroupMember(seed.GroupId, [.. seed.Offsets.Select(o => o.Topic).Distinct(StringComparer.Ordinal)], "kmap-sandbox-seed")
            : null;
    }

    /// <summary>Removes a member added by <see cref="AddGroupMember"/>; the group becomes empty again when it was the last.</summary>
    public void RemoveGroupMember(string groupId, string memberId) => State.Groups.RemoveTestMember(groupId, memberId);

    private int BrokerIndex(int brokerId) => brokerId >= 0 && brokerId < _listeners.Count
        ? brokerId
        : throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"the cluster has brokers 0..{_listeners.Count - 1}");

    public async ValueTask DisposeAsync()
    {
        if (_schedule is not null)
        {
            await _schedule.DisposeAsync();
        }
        await _brokerChanges.WaitAsync();
        foreach (var listener in _listeners)
        {
            if (listener is not null)
            {
                await listener.DisposeAsync();
            }
        }
        _listeners.Clear();
        _brokerChanges.Release();
        if (_dataDirectory is not null)
        {
            await _dataDirectory.DisposeAsync();
        }
        State.Groups.Dispose();
        _tls?.Dispose();
    }
}
