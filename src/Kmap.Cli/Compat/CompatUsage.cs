using System.Text;

namespace Kmap.Cli.Compat;

/// <summary>Help of the one-shot mode, with the examples of the offsets guide.</summary>
internal static class CompatUsage
{
    public static string Text()
    {
        var text = new StringBuilder();
        text.Append("""
            Usage: kmap -brokers host:port [auth flags] -save-offsets FILE -restore-offsets-script FILE
                   kmap -brokers host:port [auth flags] [-output FILE] [-html FILE] [-dot FILE] [-recreate-script FILE] [-topic-sizes]
                   kmap <command> [options]        (run `kmap --help` for the commands)

            One-shot mode of the Go tool: flags may be written -flag value, -flag=value or --flag value.
            It writes exactly the files that are asked for and nothing else; with no output flag at all
            it writes kafka-cluster-info.json and kafka-cluster-report.html, as the Go tool did. It returns
            as soon as its files are written: lag growth needs -lag-sample-interval D or -previous FILE.

            Flags:

            """);
        foreach (var flag in CompatFlags.All.Where(f => !f.NotYetSupported))
        {
            text.Append(CompatCommandLine.Describe(flag)).Append('\n');
        }
        text.Append("""

            Examples:
              # Back up every group's committed offsets and write the restore script
              kmap -brokers localhost:9092 -save-offsets consumer-offsets.json -restore-offsets-script restore-offsets.sh

              # Map the cluster: JSON, HTML report, Graphviz graph, topic recreation script, topic sizes
              kmap -brokers localhost:9092 -output json -html report.html -dot cluster.dot -recreate-script recreate-topics.sh
              kmap -brokers localhost:9092 -topic-sizes -topic-list orders,payments

              # SASL/SCRAM over TLS (the password from the environment, not the command line)
              KMAP_SASL_PASSWORD=secret kmap -brokers kafka:9092 -security-protocol SASL_SSL \
                -sasl-mechanism SCRAM-SHA-256 -sasl-username admin \
                -save-offsets offsets.json -restore-offsets-script restore.sh

              # mTLS
              kmap -brokers kafka:9092 -security-protocol SSL -tls-cert client.crt -tls-key client.key \
                -tls-ca ca.crt -save-offsets offsets.json -restore-offsets-script restore.sh

              # The same client.properties that kafka-consumer-groups.sh takes
              kmap -brokers kafka:9092 -command-config client.properties -save-offsets offsets.json

              # Restore on another cluster, previewing first
              DRY_RUN=1 BOOTSTRAP_SERVERS=target:9092 ./restore-offsets.sh
              BOOTSTRAP_SERVERS=target:9092 ./restore-offsets.sh

            Exit status: 0 success, 1 failure, 2 usage error, 3 partial (only with -allow-partial: some groups could not be read,
            the others were written). Without -allow-partial a backup that cannot read every group writes no file.

            """);
        return text.ToString();
    }
}
