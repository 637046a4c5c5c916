namespace Archiver.Model;

/// <summary>A downloaded media file, content-addressed: the SHA-256 of its bytes is its identity.</summary>
public sealed record Media
{
    public required string Sha256 { get; init; }
    public required string Mime { get; init; }
    public required long Size { get; init; }
    public required string SourceUrl { get; init; }
    /// <summary>Path relative to the archive directory, e.g. <c>media/ab/cd/abcd....jpg</c>.</summary>
    public required string LocalPath { get; init; }
    public DateTime FetchedAt { get; init; }
}
