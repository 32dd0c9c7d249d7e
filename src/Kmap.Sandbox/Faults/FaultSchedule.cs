namespace Kmap.Sandbox.Faults;

/// <summary>Runs the timetabled faults of a spec (broker outages, coordinator moves) from the moment the cluster starts.</summary>
internal sealed class FaultSchedule : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private FaultSchedule(SandboxCluster cluster, FaultSpec spec)
    {
        var time = cluster.State.Time;
        List<Task> tasks = [.. spec.Outages.Select(o => OutageAsync(cluster, o, time, _stop.Token))];
        if (spec.MoveCoordinatorsEvery is { } every)
        {
            tasks.Add(MoveAsync(cluster, every, time, _stop.Token));
        }
        _running = Task.WhenAll(tasks);
    }

    /// <summary>Null when the spec has nothing on a timetable.</summary>
    public static FaultSchedule? Start(SandboxCluster cluster, FaultSpec spec) =>
        spec.Outages.Count == 0 && spec.MoveCoordinatorsEvery is null ? null : new FaultSchedule(cluster, spec);

    private static async Task OutageAsync(SandboxCluster cluster, BrokerOutage outage, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(outage.From, time, cancellationToken);
            await cluster.StopBrokerAsync(outage.BrokerId);
            if (outage.Until is { } until)
            {
                await Task.Delay(until - outage.From, time, cancellationToken);
                await cluster.RestartBrokerAsync(outage.BrokerId);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task MoveAsync(SandboxCluster cluster, TimeSpan every, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, time, cancellationToken);
                cluster.MoveCoordinators();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
