using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Cluster;

/// <summary>
/// Requests the cluster has answered, per API key: round trips are what a benchmark compares between
/// clients, and counting them on the broker side is the only count every client agrees with.
/// </summary>
public sealed class RequestCounter
{
    private readonly long[] _counts = new long[1024];

    public void Count(ApiKey key)
    {
        if ((short)key >= 0 && (short)key < _counts.Length)
        {
            Interlocked.Increment(ref _counts[(short)key]);
        }
    }

    public long Of(ApiKey key) => (short)key >= 0 && (short)key < _counts.Length ? Interlocked.Read(ref _counts[(short)key]) : 0;

    public long Total
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Interlocked.Read(ref _counts[i]);
            }
            return total;
        }
    }

    /// <summary>Counts by API key, only keys seen; a snapshot, so two of them can be subtracted.</summary>
    public IReadOnlyDictionary<ApiKey, long> Snapshot()
    {
        var result = new Dictionary<ApiKey, long>();
        for (var i = 0; i < _counts.Length; i++)
        {
            var n = Interlocked.Read(ref _counts[i]);
            if (n > 0)
            {
                result[(ApiKey)i] = n;
            }
        }
        return result;
    }
}
