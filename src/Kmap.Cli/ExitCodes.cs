namespace Kmap.Cli;

/// <summary>The exit codes every command documents in its --help.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Partial = 3;
}
