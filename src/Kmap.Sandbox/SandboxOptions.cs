using Kmap.Sandbox.Faults;
using Kmap.Sandbox.Groups;

namespace Kmap.Sandbox;

/// <summary>How to start a sandbox cluster. The defaults are what tests want: one broker on a free loopback port.</summary>
public sealed record SandboxOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port of the first broker; 0 picks free ports for every broker.</summary>
    public int Port { get; init; }

    public int BrokerCount { get; init; } = 1;
    public bool AutoCreateTopics { get; init; } = true;
    public int DefaultPartitions { get; init; } = 1;

    /// <summary>SASL mechanisms the listeners require (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); empty means no SASL.</summary>
    public IReadOnlyList<string> SaslMechanisms { get; init; } = [];

    /// <summary>Users and their passwords, for SASL.</summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>PEM certificate and key of the listeners; TLS is on when both are set.</summary>
    public string? TlsCertificateFile { get; init; }
    public string? TlsKeyFile { get; init; }

    /// <summary>PEM CA that client certificates must chain to; when set, clients must present one (mTLS).</summary>
    public string? TlsClientCaFile { get; init; }

    /// <summary>Simulated one-way-and-back network delay: each response leaves this long after its request arrived.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Directory that keeps topics, records and committed offsets across restarts; null keeps everything in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Largest request frame accepted; a bigger size prefix closes the connection before anything is allocated.</summary>
    public int MaxFrameBytes { get; init; } = 100 * 1024 * 1024;

    /// <summary>
    /// The cluster id Metadata and DescribeCluster report. Null (the default) gives every sandbox its own,
    /// as every Kafka cluster has its own, so tools can tell two clusters apart; a data directory keeps it.
    /// </summary>
    public string? ClusterId { get; init; }

    /// <summary>Where the broker logs; stderr in the CLI, the test output in tests.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Group coordinator settings (rebalance delay, session timeout bounds).</summary>
    public GroupSettings Groups { get; init; } = new();

    /// <summary>Faults to inject from the start (see docs/sandbox.md, "Fault injection"); tests may change them later through <see cref="SandboxCluster.Faults"/>.</summary>
    public FaultSpec Faults { get; init; } = FaultSpec.None;

    /// <summary>
    /// The Kafka release whose API versions the brokers advertise and accept: "2.8", "3.9" or "4.1" (the default,
    /// the newest). See <see cref="Apis.KafkaVersionProfile"/> and docs/sandbox.md, "Kafka version profiles".
    /// </summary>
    public string KafkaVersion { get; init; } = Apis.KafkaVersionProfile.Newest.Name;

    /// <summary>
    /// Also advertise and accept the release's unstable API versions, as a broker with
    /// unstable.api.versions.enable=true does: on 4.1, StreamsGroupDescribe v0 (streams groups are early access there).
    /// </summary>
    public bool UnstableApiVersions { get; init; }

    public bool UsesSasl => SaslMechanisms.Count > 0;
    public bool UsesTls => TlsCertificateFile is not null && TlsKeyFile is not null;
}
