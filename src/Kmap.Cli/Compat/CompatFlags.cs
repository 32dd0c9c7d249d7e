namespace Kmap.Cli.Compat;

/// <summary>The Go tool's flags, names unchanged.</summary>
internal static class CompatFlags
{
    public const string Brokers = "brokers";
    public const string SaveOffsets = "save-offsets";
    public const string RestoreOffsetsScript = "restore-offsets-script";
    public const string SecurityProtocol = "security-protocol";
    public const string SaslMechanism = "sasl-mechanism";
    public const string SaslUsername = "sasl-username";
    public const string SaslPassword = "sasl-password";
    public const string TlsCa = "tls-ca";
    public const string TlsCert = "tls-cert";
    public const string TlsKey = "tls-key";
    public const string TlsSkipVerify = "tls-skip-verify";
    public const string CommandConfig = "command-config";
    public const string Output = "output";
    public const string Html = "html";
    public const string Dot = "dot";
    public const string RecreateScript = "recreate-script";
    public const string TopicSizes = "topic-sizes";
    public const string TopicSizesOutput = "topic-sizes-output";
    public const string TopicList = "topic-list";
    public const string LagSampleInterval = "lag-sample-interval";
    public const string Previous = "previous";
    public const string Context = "context";
    public const string AllowPartial = "allow-partial";
    public const string Timeout = "timeout";
    public const string Version = "version";
    public const string Help = "help";

    public static readonly IReadOnlyList<GoFlag> All =
    [
        new(Brokers, false, "comma-separated bootstrap brokers (default localhost:9092)", "host:port[,host:port]") { Aliases = ["bootstrap-server", "b"] },
        new(SaveOffsets, false, "write every consumer group's committed offsets to this JSON file", "FILE"),
        new(RestoreOffsetsScript, false, "write a bash script that restores those offsets (on this or another cluster)", "FILE"),
        new(SecurityProtocol, false, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (a username alone implies SASL_PLAINTEXT)", "PROTOCOL"),
        new(SaslMechanism, false, "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (default PLAIN)", "MECHANISM"),
        new(SaslUsername, false, "SASL username", "NAME"),
        new(SaslPassword, false, "SASL password; better: set KMAP_SASL_PASSWORD so it stays out of `ps`", "PASSWORD"),
        new(TlsCa, false, "PEM file of the CA that signed the brokers' certificates", "FILE") { Aliases = ["tls-ca-cert"] },
        new(TlsCert, false, "PEM client certificate (mTLS)", "FILE") { Aliases = ["tls-client-cert"] },
        new(TlsKey, false, "PEM client private key (mTLS)", "FILE") { Aliases = ["tls-client-key"] },
        new(TlsSkipVerify, true, "do not check the brokers' certificates (insecure; prints a warning)"),
        new(CommandConfig, false, "Java client.properties, as given to Kafka's tools; flags override it", "FILE"),
        new(Context, false, "cluster context of the kmap config file (see `kmap config list`); flags override it", "NAME"),
        new(AllowPartial, true, "when some groups cannot be read, still write the others and exit 3 (default: write nothing, exit 1)"),
        new(Timeout, false, "give up on a broker after this many seconds of retries (default 30)", "SECONDS"),
        new(Version, true, "print the version and exit"),
        new(Help, true, "show this help") { Aliases = ["h"] },
        new(Output, false, "write the cluster JSON (brokers, topics, configs, groups, offsets, lag) to FILE; `json` means kafka-cluster-info.json, `-` stdout", "FILE"),
        new(Html, false, "write the self-contained HTML report to FILE", "FILE"),
        new(Dot, false, "write a Graphviz graph of brokers, topics and groups to FILE (render with `dot -Tsvg`)", "FILE"),
        new(RecreateScript, false, "write a bash script that recreates the topics (partitions, replication, configs) elsewhere", "FILE"),
        new(TopicSizes, true, "print topic sizes from DescribeLogDirs, largest first"),
        new(TopicSizesOutput, false, "write topic sizes as JSON to FILE", "FILE"),
        new(TopicList, false, "only size these topics", "a,b"),
        new(LagSampleInterval, false, "with -output/-html: read the groups' lag again after this long to see which lag grows, e.g. 10s (default: one sample, no wait)", "DURATION"),
        new(Previous, false, "with -output/-html: measure lag growth against this earlier cluster JSON instead of a second sample", "FILE"),
    ];
}
