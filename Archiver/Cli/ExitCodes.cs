namespace Archiver.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    /// <summary>Stopped by Ctrl-C; the work done so far is kept and can be resumed.</summary>
    public const int Interrupted = 130;
}
