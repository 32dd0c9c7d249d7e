using System.Runtime.InteropServices;

namespace Kmap.Cli.Commands.Restore;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM during a command that writes to a cluster: the first signal cancels
/// <see cref="Token"/> so the command stops starting work and finishes what is in flight; a second one ends the
/// process at once, as the signal normally does.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly PosixSignalRegistration sigint;
    private readonly PosixSignalRegistration sigterm;
    private readonly Action onFirst;
    private int received;

    public InterruptSignal(CancellationToken outer, Action onFirst)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        this.onFirst = onFirst;
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal (or by the caller's token).</summary>
    public CancellationToken Token => source.Token;

    /// <summary>A signal arrived (not only the caller's token).</summary>
    public bool Received => Volatile.Read(ref received) > 0;

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref received) > 1)
        {
            return; // the second one: the default action ends the process
        }
        context.Cancel = true;
        onFirst();
        source.Cancel();
    }

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
        source.Dispose();
    }
}
