using Archiver.Model;

namespace Archiver.Storage;

/// <summary>One observation of a post: what was served, when, and from which capture.</summary>
public sealed record PostObservation(Post Post, DateTime ObservedAt, Capture? Capture = null);

/// <summary>
/// One observation of an account or channel. <paramref name="OwnPage"/>: the capture is the account's own answer (its
/// lookup or record, its channel page), not a page that merely embeds it (a reblog, a forward, a mention); only the
/// account's own 2xx can say a gone account is back.
/// </summary>
public sealed record AuthorObservation(Author Author, DateTime ObservedAt, Capture? Capture = null, bool OwnPage = false);

/// <summary>A post, channel or account found gone (404/410/451, or missing from a listing that should show it).</summary>
public sealed record Disappearance(string Key, DisappearanceKind Kind, DateTime SeenAt, int Status, string Reason, Capture? Capture = null);

public enum DisappearanceKind { Post, Author }

/// <summary>A new language label for a stored post (relabelling): set in place, no new version, no sighting.</summary>
public sealed record LanguageLabel(string Key, string? Language, string? Source);

/// <summary>Everything one store transaction writes. The writer commits a batch atomically or not at all.</summary>
public sealed record StoreBatch
{
    public IReadOnlyList<PostObservation> Posts { get; init; } = [];
    public IReadOnlyList<AuthorObservation> Authors { get; init; } = [];
    public IReadOnlyList<Media> Media { get; init; } = [];
    public IReadOnlyList<Disappearance> Disappearances { get; init; } = [];
    public IReadOnlyList<LanguageLabel> Relabels { get; init; } = [];
    /// <summary>
    /// Record the changes this batch makes (new posts, edits, deletions, accounts gone or back) as
    /// <see cref="ArchiveEvent"/>s in the same transaction: set by a watch's checks after the entry's first one.
    /// </summary>
    public bool RecordEvents { get; init; }
    /// <summary>The watch entry the batch's observations come from, stamped on the events it records.</summary>
    public string? WatchId { get; init; }
    /// <summary>Events stated directly (e.g. a check that failed), stored once by their id.</summary>
    public IReadOnlyList<ArchiveEvent> Events { get; init; } = [];
    /// <summary>Watch entries written whole (added, or their schedule after a check), in the main file's transaction.</summary>
    public IReadOnlyList<WatchEntry> Watch { get; init; } = [];
    /// <summary>Ids of watch entries removed.</summary>
    public IReadOnlyList<string> WatchRemovals { get; init; } = [];

    public int Count => Posts.Count + Authors.Count + Media.Count + Disappearances.Count + Relabels.Count + Events.Count + Watch.Count + WatchRemovals.Count;
}

/// <summary>What a committed batch did.</summary>
public sealed record StoreBatchResult
{
    public required long Sequence { get; init; }
    public int Inserted { get; init; }
    public int Unchanged { get; init; }
    public int Edited { get; init; }
    public int CountsUpdated { get; init; }
    public int Deleted { get; init; }
    /// <summary>Posts whose language label changed in place (relabels, or an observation that differed only in its language).</summary>
    public int Relabeled { get; init; }
    public int AuthorsChanged { get; init; }
    public int MediaAdded { get; init; }
    /// <summary>Keys of posts whose stored document changed (for the search index to follow).</summary>
    public IReadOnlyList<string> ChangedKeys { get; init; } = [];
}
