using System.Collections.Concurrent;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>What the fault rules did so far, so a test can check that a client really met the fault it survived.</summary>
public sealed class FaultCounters
{
    private readonly ConcurrentDictionary<ApiKey, long> _errors = new();
    private readonly ConcurrentDictionary<ApiKey, long> _stalls = new();
    private long _drops;

    /// <summary>Requests of <paramref name="api"/> answered with an injected error.</summary>
    public long Errors(ApiKey api) => _errors.GetValueOrDefault(api);

    public long TotalErrors => _errors.Values.Sum();

    /// <summary>Requests of <paramref name="api"/> that were held (stalled) before their answer.</summary>
    public long Stalls(ApiKey api) => _stalls.GetValueOrDefault(api);

    /// <summary>Connections closed by the drop rule.</summary>
    public long Drops => Interlocked.Read(ref _drops);

    internal void CountError(ApiKey api) => _errors.AddOrUpdate(api, 1, (_, n) => n + 1);
    internal void CountStall(ApiKey api) => _stalls.AddOrUpdate(api, 1, (_, n) => n + 1);
    internal void CountDrop() => Interlocked.Increment(ref _drops);
}
