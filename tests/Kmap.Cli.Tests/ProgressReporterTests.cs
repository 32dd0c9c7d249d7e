namespace Kmap.Cli.Tests;

public class ProgressReporterTests
{
    private sealed class ManualTime : TimeProvider
    {
        public long Ticks { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
    }

    [Fact]
    public void Without_a_terminal_progress_is_a_plain_line_every_few_seconds_and_a_last_one()
    {
        var time = new ManualTime();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, terminal: false, "reading committed offsets", "groups", time);

        for (var done = 1; done <= 1_000; done++)
        {
            time.Ticks += TimeSpan.TicksPerMillisecond * 10; // 10 s in all
            progress.Report(done, 1_000);
        }

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 5, 7);
        Assert.DoesNotContain("\r", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("ETA", lines[1], StringComparison.Ordinal);
        Assert.Equal("kmap: reading committed offsets: 1,000/1,000 groups, 100/s in 10.0 s", lines[^1]);
    }

    [Fact]
    public void On_a_terminal_progress_is_one_bar_redrawn_in_place_with_rate_and_eta()
    {
        var time = new ManualTime();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, terminal: true, "reading committed offsets", "groups", time);

        time.Ticks = TimeSpan.TicksPerSecond;
        progress.Report(250, 1_000);
        time.Ticks = 4 * TimeSpan.TicksPerSecond;
        progress.Report(1_000, 1_000);

        var text = error.ToString();
        Assert.Contains("\rkmap: reading committed offsets [######------------------] 250/1,000 groups, 250/s, ETA 3.0 s", text, StringComparison.Ordinal);
        Assert.EndsWith("[########################] 1,000/1,000 groups, 250/s in 4.0 s\u001b[K" + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_written_while_the_bar_is_shown_clears_the_bar_and_draws_it_again_below()
    {
        var time = new ManualTime();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, terminal: true, "writing offsets", "groups", time);

        time.Ticks = TimeSpan.TicksPerSecond;
        progress.Report(1, 4);
        progress.WriteLine("kmap: g1: restored 2 partition(s)");

        var text = error.ToString();
        var bar = "kmap: writing offsets [######------------------] 1/4 groups, 1/s, ETA 3.0 s";
        Assert.Equal($"\r{bar}\u001b[K\r\u001b[Kkmap: g1: restored 2 partition(s){Environment.NewLine}{bar}\u001b[K", text);
    }

    [Fact]
    public void Without_a_terminal_a_line_is_just_a_line()
    {
        var time = new ManualTime();
        var error = new StringWriter();
        var progress = new ProgressReporter(error, terminal: false, "writing offsets", "groups", time);

        time.Ticks = TimeSpan.TicksPerSecond;
        progress.Report(1, 4);
        progress.WriteLine("kmap: g1: restored 2 partition(s)");

        Assert.Equal($"kmap: writing offsets: 1/4 groups, 1/s, ETA 3.0 s{Environment.NewLine}kmap: g1: restored 2 partition(s){Environment.NewLine}", error.ToString());
    }
}
