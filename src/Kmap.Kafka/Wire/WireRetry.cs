using System.Net.Sockets;

namespace Kmap.Kafka.Wire;

/// <summary>
/// The retry rhythm of the hand-written requests: exponential backoff from 100 ms to 2 s with jitter, each request
/// bounded by <see cref="RequestTimeout"/> and the whole operation by an overall deadline.
/// </summary>
internal static class WireRetry
{
    /// <summary>One request may take this long before the connection is given up and the request retried.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static TimeSpan Backoff(int attempt)
    {
        var ms = Math.Min(2_000, 100 * (1 << Math.Min(attempt, 5)));
        // Jitter so that many kmap runs (or many groups) do not retry in step.
        return TimeSpan.FromMilliseconds(ms / 2 + Random.Shared.Next(ms / 2 + 1));
    }

    /// <summary>A cut or stalled connection, or a response that did not parse: worth a new connection and a retry.</summary>
    public static bool IsTransportFailure(Exception e, CancellationToken overall) =>
        e is IOException or SocketException or FormatException or EndOfStreamException
        || (e is OperationCanceledException && !overall.IsCancellationRequested);

    public static string Describe(Exception e) => e is OperationCanceledException ? "no answer (timed out)" : e.Message;

    /// <summary>Runs one request with its own timeout inside the overall deadline.</summary>
    public static async Task<T> WithRequestTimeout<T>(Func<CancellationToken, Task<T>> call, CancellationToken overall)
    {
        using var request = CancellationTokenSource.CreateLinkedTokenSource(overall);
        request.CancelAfter(RequestTimeout);
        return await call(request.Token);
    }
}
