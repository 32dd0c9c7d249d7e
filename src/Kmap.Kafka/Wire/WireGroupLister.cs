using System.Diagnostics;
using Kmap.Core.Cluster;
using Kmap.Core.Config;
using Kmap.Core.Model;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Lists the groups of every broker with hand-written Metadata (for the broker list) and ListGroups v4/v5 per broker,
/// because librdkafka's ListConsumerGroups aborts the process (double free) when a broker answers with an error.
/// Each broker is retried with backoff on retriable errors and cut or stalled connections until the overall
/// deadline; then the listing fails naming that broker, since a backup missing its groups must not pass as complete.
/// </summary>
internal sealed class WireGroupLister(ConnectionSettings settings, TimeSpan deadline)
{
    private readonly string bootstrapServers = settings.BootstrapServers;

    /// <summary>A plaintext client of <paramref name="bootstrapServers"/>.</summary>
    public WireGroupLister(string bootstrapServers, TimeSpan deadline)
        : this(new ConnectionSettings { BootstrapServers = bootstrapServers }, deadline)
    {
    }

    /// <summary>Says "retrying BROKER for up to N s (reason)" while a broker does not answer; null: nothing is said.</summary>
    internal WireRetryNotice? Notice { get; init; }

    private const short MetadataKey = 3;
    private const short ListGroupsKey = 16;
    private const int MaxPasses = 5;

    /// <summary>Why the last attempt to reach a bootstrap broker failed (a cut connection, a TLS peer hanging up…).</summary>
    private string lastDiscoveryError = "no answer";

    /// <summary>The cluster id from the last Metadata answer (v2+), null before or when the cluster has none.</summary>
    public string? ClusterId { get; private set; }

    /// <summary>The cluster id from Metadata, read with retries until the deadline.</summary>
    public async Task<string?> ReadClusterIdAsync(CancellationToken cancellationToken)
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(deadline);
        try
        {
            await DiscoverAsync(overall.Token);
            return ClusterId;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException($"cannot describe the cluster: no bootstrap broker of {bootstrapServers} answered Metadata within {deadline.TotalSeconds:0} s; last error: {lastDiscoveryError}");
        }
    }

    /// <summary>Returns null when the cluster does not speak ListGroups v4+ (the caller then uses librdkafka).</summary>
    public async Task<IReadOnlyList<GroupListing>?> ListAsync(CancellationToken cancellationToken)
    {
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(deadline);
        var clock = Stopwatch.StartNew();
        try
        {
            var (brokers, listGroupsVersion) = await DiscoverAsync(overall.Token);
            if (listGroupsVersion < 4)
            {
                return null;
            }
            // A group whose coordinator moves while the brokers are asked one after another can be missed by
            // one pass (listed by neither its old nor its new coordinator), so passes are repeated until one
            // finds no group the earlier ones missed. A group deleted meanwhile costs an empty OffsetFetch.
            var found = new Dictionary<string, GroupListing>(StringComparer.Ordinal);
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var perBroker = await Task.WhenAll(brokers.Select(b => ListOnBrokerAsync(b, listGroupsVersion, clock, overall.Token, cancellationToken)));
                var added = 0;
                foreach (var listing in perBroker.SelectMany(l => l))
                {
                    if (found.TryAdd(listing.Group, listing))
                    {
                        added++;
                    }
                }
                if (pass > 0 && added == 0)
                {
                    break;
                }
            }
            return found.Values.ToList();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClusterException($"cannot list the consumer groups: no bootstrap broker of {bootstrapServers} answered Metadata within {deadline.TotalSeconds:0} s; last error: {lastDiscoveryError}");
        }
    }

    /// <summary>The brokers of the cluster (from any bootstrap broker), and the ListGroups version to use.</summary>
    private async Task<(IReadOnlyList<WireBroker> Brokers, short ListGroupsVersion)> DiscoverAsync(CancellationToken overall)
    {
        var attempt = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAnyAsync(settings, ct), overall);
                var versions = await WireRetry.WithRequestTimeout(ct => BrokerApiVersions.ReadAsync(connection, ct), overall);
                var listGroups = Math.Min((short)5, versions.Max(ListGroupsKey));
                var metadata = versions.Max(MetadataKey) >= 12 ? (short)12 : versions.Max(MetadataKey) >= 9 ? (short)9 : (short)-1;
                if (listGroups < 4 || metadata < 0)
                {
                    return ([], -1);
                }
                var brokers = await WireRetry.WithRequestTimeout(ct => ReadBrokersAsync(connection, metadata, ct), overall);
                return (brokers, listGroups);
            }
            catch (Exception e) when (WireRetry.IsTransportFailure(e, overall))
            {
                lastDiscoveryError = WireRetry.Describe(e);
                Notice?.Retrying(bootstrapServers, e, clock.Elapsed);
                await Task.Delay(WireRetry.Backoff(attempt++), overall);
            }
        }
    }

    private async Task<IReadOnlyList<WireBroker>> ReadBrokersAsync(WireConnection connection, short version, CancellationToken cancellationToken)
    {
        var reader = await connection.SendAsync(MetadataKey, version, flexible: true, w =>
        {
            w.CompactArrayLength(0); // no topics: only the brokers are wanted
            w.Bool(false); // allow_auto_topic_creation
            if (version < 11)
            {
                w.Bool(false); // include_cluster_authorized_operations (v8-v10)
            }
            w.Bool(false); // include_topic_authorized_operations
            w.EmptyTaggedFields();
        }, cancellationToken);
        reader.Int32(); // throttle
        var count = reader.CompactArrayLength();
        var brokers = new List<WireBroker>(count);
        for (var i = 0; i < count; i++)
        {
            var id = reader.Int32();
            var host = reader.CompactString();
            var port = reader.Int32();
            reader.CompactNullableString(); // rack
            reader.SkipTaggedFields();
            brokers.Add(new WireBroker(id, host, port));
        }
        ClusterId = reader.CompactNullableString();
        // The rest (controller, topics) is not needed here.
        return brokers;
    }

    private Task<IReadOnlyList<GroupListing>> ListOnBrokerAsync(WireBroker broker, short version, Stopwatch clock, CancellationToken overall, CancellationToken caller) =>
        WireBrokerRetry.RunAsync<IReadOnlyList<GroupListing>>(broker, async deadline =>
        {
            using var connection = await WireRetry.WithRequestTimeout(ct => WireConnection.ConnectAsync(broker, settings, ct), deadline);
            var (error, groups) = await WireRetry.WithRequestTimeout(ct => ReadGroupsAsync(connection, version, ct), deadline);
            if (error == KafkaErrorCodes.None)
            {
                return (groups, null);
            }
            if (!KafkaErrorCodes.IsRetriable(error))
            {
                throw new ClusterException($"cannot list the consumer groups of {broker}: {KafkaErrorCodes.Name(error)}");
            }
            return (null, KafkaErrorCodes.Name(error));
        }, "cannot list the consumer groups of",
            "Without its groups the answer would be incomplete (a backup missing groups, a group taken for absent); check that broker and run kmap again",
            overall, caller, Notice, clock);

    private static async Task<(short Error, IReadOnlyList<GroupListing> Groups)> ReadGroupsAsync(WireConnection connection, short version, CancellationToken cancellationToken)
    {
        var reader = await connection.SendAsync(ListGroupsKey, version, flexible: true, w =>
        {
            w.CompactArrayLength(0); // states_filter: all states
            if (version >= 5)
            {
                w.CompactArrayLength(0); // types_filter: all types
            }
            w.EmptyTaggedFields();
        }, cancellationToken);
        reader.Int32(); // throttle
        var error = reader.Int16();
        var count = reader.CompactArrayLength();
        var groups = new List<GroupListing>(Math.Max(0, count));
        for (var i = 0; i < count; i++)
        {
            var id = reader.CompactString();
            var protocolType = reader.CompactString();
            var state = reader.CompactString();
            var type = version >= 5 ? reader.CompactString() : null;
            reader.SkipTaggedFields();
            // Same view as librdkafka's listing: "simple" means no group protocol (offsets committed without joining).
            groups.Add(new GroupListing(id, StateName(state))
            {
                // v5 names each group's type; before it every group is classic (Kafka before 3.8 has no other kind).
                Type = type is null ? GroupType.Classic : GroupType.Parse(type),
                IsSimple = protocolType.Length == 0,
            });
        }
        return (error, groups);
    }

    internal static string StateName(string state) => state switch
    {
        "Empty" => GroupState.Empty,
        "Stable" => GroupState.Stable,
        "Dead" => GroupState.Dead,
        "PreparingRebalance" or "CompletingRebalance" => state,
        // Consumer (KIP-848) and streams (KIP-1071) groups' states between Empty and Stable.
        "Assigning" or "Reconciling" or "NotReady" => state,
        _ => GroupState.Unknown,
    };
}
