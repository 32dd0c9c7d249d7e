namespace Kmap.Sandbox.Cluster;

/// <summary>
/// A broadcast "something was appended" signal. A fetch waiting for data takes the current
/// <see cref="WaitTask"/>, re-checks its partitions, then awaits it; <see cref="Notify"/> completes it and starts a new one.
/// </summary>
public sealed class LogAppendSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();

    public Task WaitTask
    {
        get
        {
            lock (_gate)
            {
                return _current.Task;
            }
        }
    }

    public void Notify()
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            done = _current;
            _current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }
}
