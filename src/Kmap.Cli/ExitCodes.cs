namespace Kmap.Cli;

/// <summary>The exit codes every command documents in its --help.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Partial = 3;

    /// <summary>Stopped by Ctrl-C (SIGINT) or SIGTERM: 128 + SIGINT, as shells report it (kmap restore).</summary>
    public const int Interrupted = 130;
}
