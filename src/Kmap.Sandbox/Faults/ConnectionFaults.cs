using Kmap.Sandbox.Apis;
using Kmap.Sandbox.Cluster;
using Kmap.Sandbox.Protocol;

namespace Kmap.Sandbox.Faults;

/// <summary>The fault rules as one connection meets them: it counts its own requests for the drop rule.</summary>
internal sealed class ConnectionFaults(FaultInjector injector, ClusterState cluster, Broker broker, string peer)
{
    private int _counted;

    /// <summary>
    /// Runs before a request's handler: may close the connection (<see cref="ConnectionDroppedException"/>), hold the
    /// request, or answer it with an error in the API's own shape. Null lets the handler answer.
    /// </summary>
    public async ValueTask<InjectedAnswer?> BeforeHandleAsync(RequestHeader header, IApiHandler handler, KafkaReader body, CancellationToken cancellationToken)
    {
        injector.Counters.CountRequest(header.ApiKey);
        var spec = injector.Spec;
        if (spec.AffectsNoRequest)
        {
            return null;
        }
        var api = header.ApiKey;
        if (spec.Drop is { } drop && (drop.Apis is null || drop.Apis.Contains(api)) && ++_counted > drop.AfterRequests)
        {
            injector.Counters.CountDrop();
            throw new ConnectionDroppedException($"fault drop-after={drop.AfterRequests}: dropping the connection at {api} from client '{header.ClientId}'");
        }
        for (var i = 0; i < spec.Stalls.Count; i++)
        {
            var stall = spec.Stalls[i];
            if (stall.Apis.Contains(api) && injector.Draw("stall", i, api, stall.Fraction))
            {
                // The release to wait for is taken before the stall is counted: a test that sees the count and clears
                // the rules at once would otherwise complete the old release while this request waits on the new one.
                var released = injector.Released;
                injector.Counters.CountStall(api);
                cluster.Log($"broker {broker.Id}: fault stall: holding {api} from client '{header.ClientId}' at {peer} {(stall.Delay is { } d ? $"for {d.TotalMilliseconds} ms" : "until released")}");
                using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var held = Task.Delay(stall.Delay ?? Timeout.InfiniteTimeSpan, cluster.Time, hold.Token);
                await Task.WhenAny(held, released);
                // Released early: end the timer rather than leave it to the connection's end.
                await hold.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        for (var i = 0; i < spec.Errors.Count; i++)
        {
            var error = spec.Errors[i];
            if (error.Apis.Contains(api) && injector.Draw("error", i, api, error.Fraction))
            {
                injector.Counters.CountError(api);
                return new InjectedAnswer(ErrorResponses.Build(handler, header.ApiVersion, body, error.Code));
            }
        }
        return null;
    }
}
