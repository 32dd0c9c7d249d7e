using System.CommandLine;
using System.Runtime.InteropServices;
using Kmap.Sandbox;
using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Faults;

namespace Kmap.Cli.Commands;

/// <summary>`kmap sandbox`: a Kafka-protocol cluster on loopback until SIGINT/SIGTERM.</summary>
public static class SandboxCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "host:port of the first broker; port 0 picks free ports", DefaultValueFactory = _ => "127.0.0.1:0" };
        var brokers = new Option<int>("--brokers") { Description = "number of brokers", DefaultValueFactory = _ => 1 };
        var autoCreate = new Option<bool>("--auto-create-topics") { Description = "create unknown topics on first use, as Kafka does by default", DefaultValueFactory = _ => true };
        var mechanisms = new Option<string[]>("--sasl-mechanism") { Description = "require SASL with this mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); repeatable", AllowMultipleArgumentsPerToken = false };
        var users = new Option<string[]>("--user") { Description = "NAME:PASSWORD of a SASL user; repeatable" };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate of the listeners (turns TLS on)" };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of the listeners" };
        var tlsClientCa = new Option<string?>("--tls-client-ca") { Description = "PEM CA that client certificates must chain to (mTLS)" };
        var latency = new Option<int>("--latency-ms") { Description = "delay of every response, as a network link would add", DefaultValueFactory = _ => 0 };
        var dataDir = new Option<string?>("--data-dir") { Description = "keep topics, records and committed offsets here across restarts" };
        var kafkaVersion = new Option<string>("--kafka-version")
        {
            Description = "the Kafka release whose API versions the brokers advertise and accept: 2.8, 3.9 or 4.1",
            DefaultValueFactory = _ => KafkaVersionProfile.Newest.Name,
        };
        var unstableApis = new Option<bool>("--unstable-api-versions")
        {
            Description = "also serve the release's unstable API versions, as unstable.api.versions.enable=true does (4.1: StreamsGroupDescribe, for streams groups)",
        };
        var faults = new Option<string?>("--faults") { Description = "inject faults: entries joined by ';' (see below and docs/sandbox.md)" };
        var seedGroups = new Option<string[]>("--seed-group")
        {
            Description = $"create a group at start: {Kmap.Sandbox.Groups.GroupSeed.Syntax}; share groups get start offsets, others committed offsets; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var exitOnStdinClose = new Option<bool>("--exit-on-stdin-close")
        {
            Description = "stop cleanly (exit 0) when standard input reaches end of file: the sandbox ends with the program feeding it",
        };

        var command = new Command("sandbox", """
            Run a Kafka-protocol cluster on loopback, for tests and rehearsals.
            Prints the bootstrap list alone on the first stdout line once every broker listens; logs go to stderr.

            Examples:
              kmap sandbox --brokers 3
              kmap sandbox --listen 127.0.0.1:9092 --auto-create-topics false
              kmap sandbox --sasl-mechanism SCRAM-SHA-512 --user admin:secret
              kmap sandbox --tls-cert broker.pem --tls-key broker.key --tls-client-ca ca.pem
              kmap sandbox --latency-ms 5 --data-dir /tmp/kmap-sandbox
              kmap sandbox --kafka-version 2.8
              kmap sandbox --brokers 3 --faults 'seed=7;error=0.2:NOT_COORDINATOR@OffsetCommit,OffsetFetch;stall=5000@OffsetFetch'
              kmap sandbox --seed-group 'share:audit=orders/0@5,orders/1@7+member'
              # a sandbox for one command, stopped when the shell closes its stdin (bash):
              coproc SB { kmap sandbox --exit-on-stdin-close; }; read -r B <&"${SB[0]}"; kcat -b "$B" -L; exec {SB[1]}>&-; wait

            --faults SPEC, entries joined by ';' ('@API,API' limits an entry to those APIs, by Kafka's API names):
              seed=N                               random choices come from N, so a run can be repeated
              drop-after=N[@APIS]                  each connection closes, unanswered, at its (N+1)-th request
              error=FRACTION:CODE[@APIS]           answer that fraction of requests with CODE, in the API's own
                                                   response: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS and
                                                   COORDINATOR_NOT_AVAILABLE (group APIs), NOT_LEADER_OR_FOLLOWER and
                                                   LEADER_NOT_AVAILABLE (Produce, Fetch, ListOffsets), REQUEST_TIMED_OUT
              stall=[FRACTION:]MS|forever[@APIS]   hold responses MS milliseconds (or until the sandbox stops)
              down=BROKER:FROM_MS[-UNTIL_MS]       broker stops FROM_MS after start and restarts at UNTIL_MS
              move-coordinators=EVERY_MS           every group's coordinator moves to the next broker this often
              no-offsets=GROUP_ID_NOT_FOUND        OffsetFetch answers a group without committed offsets with
                                                   GROUP_ID_NOT_FOUND (Kafka: no error, no offsets), as some brokers do
            """)
        {
            listen, brokers, autoCreate, mechanisms, users, tlsCert, tlsKey, tlsClientCa, latency, dataDir, kafkaVersion, unstableApis, faults, seedGroups, exitOnStdinClose,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var endpoint = parse.GetValue(listen)!;
            var colon = endpoint.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var port) || port is < 0 or > 65535)
            {
                await Console.Error.WriteLineAsync($"kmap sandbox: --listen wants host:port, not '{endpoint}'");
                return ExitCodes.Usage;
            }
            var userMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var user in parse.GetValue(users) ?? [])
            {
                var sep = user.IndexOf(':', StringComparison.Ordinal);
                if (sep <= 0)
                {
                    await Console.Error.WriteLineAsync("kmap sandbox: --user wants NAME:PASSWORD");
                    return ExitCodes.Usage;
                }
                userMap[user[..sep]] = user[(sep + 1)..];
            }
            var version = parse.GetValue(kafkaVersion)!;
            if (KafkaVersionProfile.Find(version) is null)
            {
                await Console.Error.WriteLineAsync($"kmap sandbox: --kafka-version: no profile for '{version}'; use one of {string.Join(", ", KafkaVersionProfile.All.Select(p => p.Name))}");
                return ExitCodes.Usage;
            }
            var faultSpec = FaultSpec.None;
            if (parse.GetValue(faults) is { } faultText)
            {
                try
                {
                    faultSpec = FaultSpec.Parse(faultText);
                }
                catch (FormatException e)
                {
                    await Console.Error.WriteLineAsync($"kmap sandbox: --faults: {e.Message}");
                    return ExitCodes.Usage;
                }
            }
            var seeds = new List<Kmap.Sandbox.Groups.GroupSeed>();
            foreach (var seedText in parse.GetValue(seedGroups) ?? [])
            {
                try
                {
                    seeds.Add(Kmap.Sandbox.Groups.GroupSeed.Parse(seedText));
                }
                catch (FormatException e)
                {
                    await Console.Error.WriteLineAsync($"kmap sandbox: --seed-group {e.Message}");
                    return ExitCodes.Usage;
                }
            }
            var options = new SandboxOptions
            {
                Host = endpoint[..colon],
                Port = port,
                BrokerCount = parse.GetValue(brokers),
                AutoCreateTopics = parse.GetValue(autoCreate),
                SaslMechanisms = [.. (parse.GetValue(mechanisms) ?? []).Select(m => m.ToUpperInvariant())],
                Users = userMap,
                TlsCertificateFile = parse.GetValue(tlsCert),
                TlsKeyFile = parse.GetValue(tlsKey),
                TlsClientCaFile = parse.GetValue(tlsClientCa),
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                DataDirectory = parse.GetValue(dataDir),
                KafkaVersion = version,
                UnstableApiVersions = parse.GetValue(unstableApis),
                Faults = faultSpec,
                Log = message => Console.Error.WriteLine($"[sandbox] {message}"),
            };
            return await RunAsync(options, seeds, parse.GetValue(exitOnStdinClose), cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(SandboxOptions options, IReadOnlyList<Kmap.Sandbox.Groups.GroupSeed> seeds, bool exitOnStdinClose, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        SandboxCluster cluster;
        try
        {
            cluster = await SandboxCluster.StartAsync(options, cancellationToken: stop.Token);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ArgumentException or UnauthorizedAccessException or InvalidDataException or System.Text.Json.JsonException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"kmap sandbox: cannot start: {e.Message}");
            return ExitCodes.Failure;
        }
        await using (cluster)
        {
            foreach (var seed in seeds)
            {
                try
                {
                    cluster.Seed(seed);
                }
                catch (InvalidOperationException e)
                {
                    await Console.Error.WriteLineAsync($"kmap sandbox: --seed-group: {e.Message}");
                    return ExitCodes.Usage;
                }
            }
            await Console.Out.WriteLineAsync(cluster.BootstrapServers);
            await Console.Out.FlushAsync(CancellationToken.None);
            if (exitOnStdinClose)
            {
                StopAtEndOfInput(stop);
            }
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            await Console.Error.WriteLineAsync("[sandbox] stopping");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// Reads (and drops) standard input on a thread of its own; at end of file (the writer closed its end, or died)
    /// the sandbox stops as on SIGTERM. The thread is left blocked in read when a signal stops the sandbox first.
    /// </summary>
    private static void StopAtEndOfInput(CancellationTokenSource stop)
    {
        var reader = new Thread(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[4096];
                while (input.Read(buffer) > 0)
                {
                }
            }
            catch (IOException)
            {
                // an unreadable stdin ends like a closed one
            }
            Console.Error.WriteLine("[sandbox] standard input closed");
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the sandbox had already stopped
            }
        })
        { IsBackground = true, Name = "sandbox stdin" };
        reader.Start();
    }
}
