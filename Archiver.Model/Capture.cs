namespace Archiver.Model;

/// <summary>Provenance: where and when the bytes a record came from were captured.</summary>
public sealed record Capture
{
    public required string Url { get; init; }
    public required DateTime FetchedAt { get; init; }
    public int Status { get; init; }
    /// <summary>Hex SHA-256 of the HTTP payload (body after transfer decoding).</summary>
    public string? PayloadSha256 { get; init; }
    /// <summary>WARC file name relative to the archive's <c>warc/</c> folder (or an imported file's path).</summary>
    public string? WarcFile { get; init; }
    public long? WarcOffset { get; init; }
    public string? WarcRecordId { get; init; }
}
