using System.Collections.Concurrent;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>
/// The cluster's fault rules, replaceable while it runs (<see cref="Apply"/>), and what they did (<see cref="Counters"/>).
/// Whether the n-th request of an API meets a rule is a hash of (seed, rule, API, n), not a shared random stream, so
/// the number of faults among N requests of one API does not depend on how connections interleave.
/// </summary>
public sealed class FaultInjector
{
    private readonly ClusterState _cluster;
    private readonly ConcurrentDictionary<(string Kind, int Rule, ApiKey Api), long> _draws = new();
    private volatile FaultSpec _spec;
    private TaskCompletionSource _release = NewRelease();

    internal FaultInjector(ClusterState cluster, FaultSpec spec)
    {
        _cluster = cluster;
        _spec = spec;
    }

    public FaultSpec Spec => _spec;
    public FaultCounters Counters { get; } = new();

    /// <summary>Replaces the rules; requests already stalled stay stalled until their time is up or <see cref="ReleaseStalls"/>.</summary>
    public void Apply(FaultSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _draws.Clear();
        _spec = spec;
        _cluster.Log($"faults: {(spec.AffectsNoRequest ? "none on requests" : $"{spec.Errors.Count} error rule(s), {spec.Stalls.Count} stall rule(s), drop {(spec.Drop is null ? "off" : $"after {spec.Drop.AfterRequests}")}{(spec.GroupIdNotFoundWithoutOffsets ? ", GROUP_ID_NOT_FOUND for groups without offsets" : "")}")}, seed {spec.Seed}");
    }

    /// <summary>Removes every rule and lets every stalled request go.</summary>
    public void Clear()
    {
        Apply(FaultSpec.None);
        ReleaseStalls();
    }

    /// <summary>Answers every request held by a stall rule now (including the 'forever' ones).</summary>
    public void ReleaseStalls() => Interlocked.Exchange(ref _release, NewRelease()).TrySetResult();

    internal ConnectionFaults ForConnection(Broker broker, string peer) => new(this, _cluster, broker, peer);

    internal Task Released => Volatile.Read(ref _release).Task;

    /// <summary>True for a deterministic <paramref name="fraction"/> of the calls with the same kind, rule and API.</summary>
    internal bool Draw(string kind, int rule, ApiKey api, double fraction)
    {
        if (fraction >= 1)
        {
            return true;
        }
        var n = _draws.AddOrUpdate((kind, rule, api), 1, (_, c) => c + 1);
        var key = (ulong)(uint)_spec.Seed << 32 ^ (ulong)(uint)rule << 24 ^ (ulong)(ushort)api << 8 ^ (kind == "error" ? 1UL : 2UL);
        var unit = (SplitMix64(key * 0x9E3779B97F4A7C15UL ^ (ulong)n) >> 11) * (1.0 / (1UL << 53));
        return unit < fraction;
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
