namespace Archiver.Export.Verification;

public enum VerifyTarget { Export, Archive }

/// <summary>One thing found wrong: which file, and what.</summary>
public sealed record VerifyProblem(string Path, string Problem);

/// <summary>The outcome of <c>archiver verify</c>: what was checked and everything found wrong.</summary>
public sealed record VerifyReport
{
    public required string Path { get; init; }
    public required VerifyTarget Target { get; init; }
    public required long FilesChecked { get; init; }
    public required IReadOnlyList<VerifyProblem> Problems { get; init; }
    /// <summary>Checks that could not run yet (e.g. WARC re-hashing before the WARC reader exists).</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];
    public bool Ok => Problems.Count == 0;
}
