using System.CommandLine;

namespace Archiver.Cli;

/// <summary>Options every command understands, declared once.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "Archive directory (default: $ARCHIVER_DATA or ./data)",
        Recursive = true,
        HelpName = "DIR",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable JSON output",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "No progress display; only results and errors",
        Recursive = true,
    };
}
