using System.Globalization;

namespace Kmap.Cli;

/// <summary>
/// Progress of a long step on stderr (never stdout: data goes there). On a terminal: one bar redrawn in place (at
/// most 10 times a second) with the rate and the time left. Otherwise (a log, CI): a plain line every few seconds,
/// so a log shows the run is alive without a line per item, and no control characters.
/// </summary>
internal sealed class ProgressReporter(TextWriter error, bool terminal, string what, string unit, TimeProvider time)
{
    private const int BarWidth = 24;
    private static readonly TimeSpan TerminalEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(2);

    private readonly Lock _sync = new();
    private readonly long _started = time.GetTimestamp();
    private long _lastShown = long.MinValue;
    private bool _finished;
    private string? _bar;

    /// <summary>The reporter a command should use: null when progress is off (tests, --quiet callers).</summary>
    public static ProgressReporter? For(CliContext context, string what, string unit)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.ShowProgress ? new ProgressReporter(context.Error, context.ErrorIsTerminal, what, unit, context.Time) : null;
    }

    public void Report(int done, int total)
    {
        lock (_sync)
        {
            if (_finished)
            {
                return;
            }
            var now = time.GetTimestamp();
            var last = done >= total;
            var every = terminal ? TerminalEvery : LogEvery;
            if (!last && _lastShown != long.MinValue && time.GetElapsedTime(_lastShown, now) < every)
            {
                return;
            }
            _lastShown = now;
            var elapsed = time.GetElapsedTime(_started, now);
            var line = Line(done, total, elapsed);
            if (terminal)
            {
                error.Write($"\r{line}\u001b[K");
                _bar = line;
                if (last)
                {
                    error.WriteLine();
                    _bar = null;
                }
            }
            else
            {
                error.WriteLine(line);
            }
            _finished = last;
        }
    }

    /// <summary>A line of its own on stderr while the bar is shown: the bar is cleared, the line written, the bar drawn again.</summary>
    public void WriteLine(string line)
    {
        lock (_sync)
        {
            if (terminal && _bar is not null)
            {
                error.Write("\r\u001b[K");
                error.WriteLine(line);
                error.Write($"{_bar}\u001b[K");
            }
            else
            {
                error.WriteLine(line);
            }
        }
    }

    private string Line(int done, int total, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var eta = rate > 0 && done < total ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        var counts = string.Create(CultureInfo.InvariantCulture, $"{done:N0}/{total:N0} {unit}, {rate:N0}/s");
        var tail = done < total ? $", ETA {Duration(eta)}" : $" in {Duration(elapsed)}";
        if (!terminal)
        {
            return $"kmap: {what}: {counts}{tail}";
        }
        var filled = total == 0 ? BarWidth : (int)((long)BarWidth * done / total);
        return $"kmap: {what} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {counts}{tail}";
    }

    private static string Duration(TimeSpan t) => t.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:N1} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds} s");
}
