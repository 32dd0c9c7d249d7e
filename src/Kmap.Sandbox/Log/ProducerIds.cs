namespace Kmap.Sandbox.Log;

/// <summary>Hands out producer ids for InitProducerId; ids are unique per cluster and never reused.</summary>
public sealed class ProducerIds
{
    private long _next = 1000;

    public long Next() => Interlocked.Increment(ref _next);
}
