namespace Kmap.Cli;

/// <summary>The outside world of one run: streams, environment, clock. Tests pass their own.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, Func<string, string?> Environment)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The kmap that generated scripts call back when Kafka's tools are absent; null when unknown.</summary>
    public string? KmapPath { get; init; } = KmapExecutable.Path;

    /// <summary>Progress on stderr: a redrawn bar when a person watches it, plain periodic lines when it goes to a log.</summary>
    public bool ShowProgress { get; init; }

    /// <summary>stderr is a terminal: progress is one line redrawn in place.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>
    /// The real process: progress always, drawn as a bar only when stderr is a terminal that can redraw a line
    /// (not redirected to a file or a pipe, and TERM is not "dumb"); otherwise plain periodic lines.
    /// </summary>
    public static CliContext FromProcess() =>
        new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable)
        {
            ShowProgress = true,
            ErrorIsTerminal = IsTerminal(Console.IsErrorRedirected, System.Environment.GetEnvironmentVariable("TERM")),
        };

    /// <summary>Whether a bar may be redrawn with carriage returns and ANSI escapes on stderr.</summary>
    internal static bool IsTerminal(bool errorRedirected, string? term) => !errorRedirected && term is not "dumb";
}
