using System.Collections.Concurrent;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>What the fault rules did so far, so a test can check that a client really met the fault it survived.</summary>
public sealed class FaultCounters
{
    private readonly ConcurrentDictionary<ApiKey, long> _errors = new();
    private readonly ConcurrentDictionary<ApiKey, long> _stalls = new();
    private readonly long[] _requests = new long[128];
    private long _drops;

    /// <summary>Requests of <paramref name="api"/> that reached any broker, faulted or not: shows that a client came back (re-found a coordinator, reconnected).</summary>
    public long Requests(ApiKey api) => (ushort)api < _requests.Length ? Interlocked.Read(ref _requests[(ushort)api]) : 0;

    /// <summary>Requests of <paramref name="api"/> answered with an injected error.</summary>
    public long Errors(ApiKey api) => _errors.GetValueOrDefault(api);

    public long TotalErrors => _errors.Values.Sum();

    /// <summary>Requests of <paramref name="api"/> that were held (stalled) before their answer.</summary>
    public long Stalls(ApiKey api) => _stalls.GetValueOrDefault(api);

    /// <summary>Connections closed by the drop rule.</summary>
    public long Drops => Interlocked.Read(ref _drops);

    internal void CountRequest(ApiKey api)
    {
        // Only served API keys get here (the connection refuses the others first), and they are all below 128.
        if ((ushort)api < _requests.Length)
        {
            Interlocked.Increment(ref _requests[(ushort)api]);
        }
    }
    internal void CountError(ApiKey api) => _errors.AddOrUpdate(api, 1, (_, n) => n + 1);
    internal void CountStall(ApiKey api) => _stalls.AddOrUpdate(api, 1, (_, n) => n + 1);
    internal void CountDrop() => Interlocked.Increment(ref _drops);
}
