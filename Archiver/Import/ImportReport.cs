namespace Archiver.Import;

/// <summary>A line (or record) that could not be imported, and why.</summary>
public sealed record ImportProblem(string Source, long Line, string Reason);

/// <summary>What an import did, per run.</summary>
public sealed record ImportReport
{
    public long Lines { get; set; }
    public long Posts { get; set; }
    public long Inserted { get; set; }
    public long Unchanged { get; set; }
    public long Edited { get; set; }
    public long Authors { get; set; }
    public long BadLines { get; set; }
    public long SkippedFiles { get; set; }
    public long ResumedFromLine { get; set; }
    public List<ImportProblem> Problems { get; } = [];
    /// <summary>What was read in a way the user should know about, though nothing was lost.</summary>
    public List<string> Warnings { get; } = [];
    public TimeSpan Elapsed { get; set; }

    /// <summary>Only the first problems are kept with their line numbers; the count covers all of them.</summary>
    public const int MaxProblemsKept = 50;
}
