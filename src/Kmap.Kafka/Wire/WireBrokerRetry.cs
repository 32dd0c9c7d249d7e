using System.Diagnostics;
using Kmap.Core.Cluster;

namespace Kmap.Kafka.Wire;

/// <summary>
/// One broker's request in <see cref="WireRetry"/>'s rhythm: each attempt opens its own connection; a cut or stalled
/// connection, an answer that does not parse, or an error the attempt calls retriable is tried again after a backoff
/// until the overall deadline; anything else (refused credentials or certificates, a final error) ends it at once.
/// At the deadline the failure names the broker, the attempts, the time taken and the last error.
/// </summary>
internal static class WireBrokerRetry
{
    /// <summary>
    /// Runs <paramref name="attempt"/> until it returns a result (or the deadline). It returns a null result with the
    /// name of a retriable error (e.g. COORDINATOR_NOT_AVAILABLE) to be tried again.
    /// </summary>
    /// <param name="failure">The start of the message at the deadline, e.g. "cannot read the log directories of".</param>
    /// <param name="advice">What to do, said after the last error.</param>
    /// <param name="notice">Told of each retry ("retrying BROKER for up to N s (reason)").</param>
    /// <param name="clock">The time since the whole operation began (default: since this call).</param>
    public static async Task<T> RunAsync<T>(WireBroker broker, Func<CancellationToken, Task<(T? Result, string? RetriableError)>> attempt,
        string failure, string advice, CancellationToken overall, CancellationToken caller, WireRetryNotice? notice = null, Stopwatch? clock = null)
        where T : class
    {
        clock ??= Stopwatch.StartNew();
        var attempts = 0;
        var lastError = "no answer";
        try
        {
            while (true)
            {
                if (attempts > 0)
                {
                    await Task.Delay(WireRetry.Backoff(attempts - 1), overall);
                }
                attempts++;
                try
                {
                    var (result, retriable) = await attempt(overall);
                    if (result is not null)
                    {
                        return result;
                    }
                    lastError = retriable ?? lastError;
                    notice?.Retrying($"{broker.Host}:{broker.Port}", lastError, clock.Elapsed);
                }
                catch (Exception e) when (WireRetry.IsTransportFailure(e, overall))
                {
                    lastError = WireRetry.Describe(e);
                    notice?.Retrying($"{broker.Host}:{broker.Port}", e, clock.Elapsed);
                }
            }
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            throw new ClusterException($"{failure} {broker}: gave up after {attempts} attempt(s) in {clock.Elapsed.TotalSeconds:0.0} s; last error: {lastError}. {advice}");
        }
    }
}
