using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Groups;
using Kmap.Sandbox.Log;

namespace Kmap.Sandbox.Cluster;

/// <summary>
/// Everything the brokers of one sandbox cluster share. One lock (<see cref="Sync"/>) guards topics and
/// groups: the sandbox favours obviously-correct state over parallel throughput.
/// </summary>
public sealed class ClusterState
{
    public ClusterState(SandboxOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        Groups = new GroupCoordinator(this);
        // Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding (22 characters).
        ClusterId = options.ClusterId ?? Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Faults = new FaultInjector(this, options.Faults);
    }

    public object Sync { get; } = new();
    public SandboxOptions Options { get; }
    public TimeProvider Time { get; }
    /// <summary>Set at start: the configured id, the one a data directory kept, or a new random one.</summary>
    public string ClusterId { get; set; }
    public List<Broker> Brokers { get; } = [];
    public int ControllerId => Brokers.Count > 0 ? Brokers[0].Id : -1;
    public Dictionary<string, Topic> Topics { get; } = new(StringComparer.Ordinal);
    public GroupCoordinator Groups { get; }

    /// <summary>Injected faults (errors, stalls, dropped connections); none unless <see cref="SandboxOptions.Faults"/> or a test sets them.</summary>
    public FaultInjector Faults { get; }

    /// <summary>How many brokers every group's coordinator has moved along (the move-coordinators fault). Guarded by <see cref="Sync"/>.</summary>
    public int CoordinatorShift { get; set; }

    /// <summary>Signalled whenever records are appended, so long-polling fetches wake up instead of sleeping.</summary>
    public LogAppendSignal Appended { get; } = new();

    /// <summary>Producer ids handed out by InitProducerId.</summary>
    public ProducerIds ProducerIds { get; } = new();

    /// <summary>Requests answered, per API key (benchmarks count round trips here).</summary>
    public RequestCounter Requests { get; } = new();

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Bumped by every change worth persisting (topics, records, offsets); the data directory saves when it moves.</summary>
    public long ChangeVersion { get; private set; }

    /// <summary>Marks the state changed. Caller holds <see cref="Sync"/>.</summary>
    public void MarkChanged() => ChangeVersion++;

    public void Log(string message) => Options.Log?.Invoke(message);

    /// <summary>Broker-side name rules of Kafka's Topic.validate: 1–249 chars of [a-zA-Z0-9._-], not "." or "..".</summary>
    public static string? ValidateTopicName(string name)
    {
        if (name.Length == 0)
        {
            return "Topic name is illegal, it can't be empty";
        }
        if (name is "." or "..")
        {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.Length > 249)
        {
            return $"Topic name is illegal, it can't be longer than 249 characters, topic name: {name}";
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"Topic name {name} is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    /// <summary>Creates a topic with leaders spread round-robin over the brokers. Caller holds <see cref="Sync"/>.</summary>
    public Topic CreateTopic(string name, int partitions, short replicationFactor, IReadOnlyDictionary<string, string>? configs = null)
    {
        var topic = new Topic(name, Guid.NewGuid(), replicationFactor);
        AddPartitions(topic, partitions);
        if (configs is not null)
        {
            foreach (var (key, value) in configs)
            {
                topic.Configs[key] = value;
            }
        }
        Topics[name] = topic;
        MarkChanged();
        return topic;
    }

    /// <summary>Grows a topic to <paramref name="newTotal"/> partitions. Caller holds <see cref="Sync"/>.</summary>
    public void AddPartitions(Topic topic, int newTotal)
    {
        // Start the round-robin at a hash of the name so that many single-partition topics still spread.
        var offset = Brokers.Count == 0 ? 0 : (int)((uint)StableHash(topic.Name) % (uint)Brokers.Count);
        for (var index = topic.Partitions.Count; index < newTotal; index++)
        {
            var replicas = new int[Math.Min(Math.Max((int)topic.ReplicationFactor, 1), Math.Max(Brokers.Count, 1))];
            for (var r = 0; r < replicas.Length; r++)
            {
                replicas[r] = Brokers.Count == 0 ? 0 : Brokers[(offset + index + r) % Brokers.Count].Id;
            }
            topic.Partitions.Add(new PartitionLog(topic.Name, index, replicas[0], replicas));
        }
        MarkChanged();
    }

    /// <summary>
    /// Finds a topic, creating it when auto-creation is on and the name is valid. Caller holds <see cref="Sync"/>.
    /// </summary>
    public Topic? FindOrAutoCreateTopic(string name, bool allowAutoCreate)
    {
        if (Topics.TryGetValue(name, out var topic))
        {
            return topic;
        }
        if (!allowAutoCreate || !Options.AutoCreateTopics || ValidateTopicName(name) is not null || name.StartsWith("__", StringComparison.Ordinal))
        {
            return null;
        }
        Log($"auto-creating topic '{name}' with {Options.DefaultPartitions} partition(s)");
        return CreateTopic(name, Options.DefaultPartitions, 1);
    }

    public PartitionLog? FindPartition(string topic, int partition) =>
        Topics.TryGetValue(topic, out var t) && partition >= 0 && partition < t.Partitions.Count ? t.Partitions[partition] : null;

    /// <summary>The broker that coordinates a group: a stable hash of the id over the brokers, as Kafka hashes it onto __consumer_offsets partitions.</summary>
    public Broker CoordinatorFor(string key) => Brokers[(int)(((uint)StableHash(key) + (uint)CoordinatorShift) % (uint)Brokers.Count)];

    /// <summary>Java's String.hashCode, so the spread does not change between runs (string.GetHashCode is randomised).</summary>
    public static int StableHash(string value)
    {
        var hash = 0;
        foreach (var c in value)
        {
            hash = unchecked((31 * hash) + c);
        }
        return hash;
    }
}
