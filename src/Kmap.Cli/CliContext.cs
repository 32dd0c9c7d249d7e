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

    public static CliContext FromProcess() =>
        new(Console.Out, Console.Error, System.Environment.GetEnvironmentVariable) { ShowProgress = true, ErrorIsTerminal = !Console.IsErrorRedirected };
}
