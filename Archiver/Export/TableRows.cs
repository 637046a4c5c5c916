using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Export;

/// <summary>
/// One row of the posts table: a post as exported (already pseudonymised when asked), either its current
/// version (<c>post</c>) or an earlier one kept because an edit was observed (<c>post_version</c>).
/// </summary>
public sealed record PostRow
{
    public const string Current = "post";
    public const string EarlierVersion = "post_version";

    public required string RecordType { get; init; }
    public required string Key { get; init; }
    public required Post Post { get; init; }
    public required int Version { get; init; }
    public required string ContentHash { get; init; }
    public required DateTime FirstSeen { get; init; }
    public required DateTime VersionSeen { get; init; }
    public DateTime? ReplacedAt { get; init; }
    public DateTime? DeletedAt { get; init; }
    public int? DeletedStatus { get; init; }
    public string? DeletedReason { get; init; }
    public Capture? Capture { get; init; }

    public static PostRow From(StoredPost stored) => new()
    {
        RecordType = Current,
        Key = stored.Key,
        Post = stored.Post,
        Version = stored.Version,
        ContentHash = stored.ContentHash,
        FirstSeen = stored.FirstSeen,
        VersionSeen = stored.VersionSeen,
        DeletedAt = stored.DeletedAt,
        DeletedStatus = stored.DeletedStatus,
        DeletedReason = stored.DeletedReason,
        Capture = stored.Capture,
    };

    public static PostRow From(PostVersion version) => new()
    {
        RecordType = EarlierVersion,
        Key = version.Key,
        Post = version.Post,
        Version = version.Version,
        ContentHash = version.ContentHash,
        FirstSeen = version.FirstSeen,
        VersionSeen = version.FirstSeen,
        ReplacedAt = version.ReplacedAt,
        Capture = version.Capture,
    };
}

public sealed record AuthorRow
{
    public required string Key { get; init; }
    public required StoredAuthor Stored { get; init; }
    public Author Author => Stored.Author;
}

public sealed record MediaRow
{
    public required Media Media { get; init; }
    /// <summary>Where the file is inside the export (with --with-media), relative to the export root.</summary>
    public string? ExportPath { get; init; }
}
