using System.Globalization;
using System.Net.Sockets;

namespace Kmap.Kafka.Wire;

/// <summary>
/// Says on stderr that kmap is waiting on a broker that does not answer, instead of staying silent until the deadline:
/// "retrying BROKER for up to N s (reason)" at the first failure, then again every <see cref="Every"/> while it lasts.
/// One instance per client, shared by the hand-written requests and librdkafka's log, so a broker is named once per period.
/// </summary>
internal sealed class WireRetryNotice(Action<string>? log, TimeSpan deadline)
{
    /// <summary>How often a broker that still fails is mentioned again.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    private readonly Lock sync = new();
    private readonly Dictionary<string, long> shown = new(StringComparer.Ordinal);

    /// <summary>A retry of <paramref name="broker"/> is about to wait; <paramref name="elapsed"/>: time spent since the operation began.</summary>
    public void Retrying(string broker, Exception failure, TimeSpan elapsed) => Retrying(broker, Reason(failure), elapsed);

    public void Retrying(string broker, string reason, TimeSpan elapsed)
    {
        if (log is null)
        {
            return;
        }
        var now = Environment.TickCount64;
        lock (sync)
        {
            if (shown.TryGetValue(broker, out var last) && now - last < Every.TotalMilliseconds)
            {
                return;
            }
            shown[broker] = now;
        }
        var left = Math.Max(1, (int)Math.Ceiling((deadline - elapsed).TotalSeconds));
        log(string.Create(CultureInfo.InvariantCulture, $"retrying {broker} for up to {left} s ({reason})"));
    }

    /// <summary>The socket's own words when there are some ("Connection refused"), else the failure's message.</summary>
    public static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }
        return WireRetry.Describe(e);
    }
}
