using Kmap.Sandbox.Apis;

namespace Kmap.Conformance.Tests.Support;

/// <summary>Scenario names shared by every client, so the matrix lines up.</summary>
public static class Scenario
{
    public const string Metadata = "metadata (3 brokers)";
    public const string CreateTopic = "create topic";
    public const string ProduceConsume = "produce+consume (keys, headers, timestamps) byte-for-byte";
    public const string GroupConsume = "group consume with subscribe/rebalance + commit";
    public const string ConsumerProtocolGroup = "KIP-848 group (group.protocol=consumer): consume, commit, list + describe";
    public const string ResumeAtCommitted = "restarted consumer resumes at committed offset";
    public const string ListDescribeGroups = "list + describe groups";
    public const string FetchCommittedOffsets = "fetch committed offsets";
    public const string AdminCommit = "admin commit without joining";
    public const string DeleteGroup = "delete group";
    public const string SaslPlain = "SASL PLAIN right/wrong password";
    public const string SaslScram512 = "SASL SCRAM-SHA-512 right/wrong password";
    public const string Tls = "TLS (CA from the test)";
    public const string MutualTls = "mTLS rejects client without certificate";

    /// <summary>
    /// The Kafka releases (sandbox version profiles) every version-sensitive scenario runs against, so a client
    /// keeps passing on each release it supports. SASL and TLS are transport-level (the same handshake on every
    /// profile) and run on the newest only; the KIP-848 scenario is the newest's alone (3.9 had only a preview).
    /// </summary>
    public static TheoryData<string> KafkaVersions => [.. KafkaVersionProfile.All.Select(p => p.Name).Reverse()];

    /// <summary>The scenario's matrix row: its plain name on the newest release, "NAME on Kafka V" on an older one.</summary>
    public static string On(string scenario, string kafkaVersion) =>
        kafkaVersion == KafkaVersionProfile.Newest.Name ? scenario : $"{scenario} on Kafka {kafkaVersion}";

    /// <summary>How long a client may take to report a wrong password: long enough for a slow CI box, far short of a hang.</summary>
    public static readonly TimeSpan WrongPasswordBound = TimeSpan.FromSeconds(15);
}
