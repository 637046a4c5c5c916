using Archiver.Model;

namespace Archiver.Storage;

/// <summary>A post as the archive holds it: the latest observed content plus its bookkeeping.</summary>
public sealed record StoredPost
{
    public required Post Post { get; init; }
    public required string ContentHash { get; init; }
    /// <summary>1 for the first observed content; incremented on every observed edit.</summary>
    public required int Version { get; init; }
    public required DateTime FirstSeen { get; init; }
    /// <summary>When this version was first observed.</summary>
    public required DateTime VersionSeen { get; init; }
    public DateTime? DeletedAt { get; init; }
    public int? DeletedStatus { get; init; }
    public string? DeletedReason { get; init; }
    /// <summary>The evidence of the deletion: the captured response (the post's own 404/410/451, or the listing that no longer showed it).</summary>
    public Capture? DeletedCapture { get; init; }
    public Capture? Capture { get; init; }
    /// <summary>The store sequence number of the batch that last changed this post.</summary>
    public required long Sequence { get; init; }

    public string Key => Post.Key;
    public bool IsDeleted => DeletedAt is not null;
}

/// <summary>An earlier version of a post, kept when an edit was observed.</summary>
public sealed record PostVersion
{
    public required string Key { get; init; }
    public required int Version { get; init; }
    public required Post Post { get; init; }
    public required string ContentHash { get; init; }
    public required DateTime FirstSeen { get; init; }
    /// <summary>When the next version was first observed (this one was last current before then).</summary>
    public required DateTime ReplacedAt { get; init; }
    public Capture? Capture { get; init; }
    /// <summary>
    /// A version the archive did not observe but the platform's edit history reported (<see cref="PostHistory"/>):
    /// <see cref="Version"/> is 0, <see cref="FirstSeen"/> and <see cref="ReplacedAt"/> are the platform's times.
    /// </summary>
    public bool FromPlatformHistory { get; init; }
}

public sealed record StoredAuthor
{
    public required Author Author { get; init; }
    public required AuthorStatus Status { get; init; }
    public required DateTime FirstSeen { get; init; }
    public required DateTime LastSeen { get; init; }
    public DateTime? GoneAt { get; init; }
    public int? GoneStatus { get; init; }
    public string? GoneReason { get; init; }
    /// <summary>The evidence of the takedown: the captured response that answered 404/410/451 or said the channel is gone.</summary>
    public Capture? GoneCapture { get; init; }
    public int Version { get; init; } = 1;
    public Capture? Capture { get; init; }
}
