namespace Archiver.Platforms.Feeds;

/// <summary>A feed as read, before it becomes records: enough of RSS, Atom and JSON Feed to archive their items.</summary>
public sealed record FeedDocument
{
    /// <summary>rss090, rss091, rss092, rss20, rss10, atom03, atom10, json.</summary>
    public required string Format { get; init; }
    public string? Title { get; init; }
    public string? Link { get; init; }
    public string? Id { get; init; }
    public string? Description { get; init; }
    public string? Language { get; init; }
    public string? Author { get; init; }
    public DateTime? Updated { get; init; }
    public string? ImageUrl { get; init; }
    public IReadOnlyList<FeedEntry> Entries { get; init; } = [];
    public IReadOnlyList<string> Problems { get; init; } = [];
}

public sealed record FeedEntry
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    public string? Link { get; init; }
    public IReadOnlyList<FeedLink> Links { get; init; } = [];
    public string? Author { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorUrl { get; init; }
    public DateTime? Published { get; init; }
    public DateTime? Updated { get; init; }
    /// <summary>The published (else updated) date as written, to say so when it could not be read.</summary>
    public string? DateText { get; init; }
    /// <summary>The summary or description as HTML (plain text escaped), with its base for relative links.</summary>
    public string? Summary { get; init; }
    public string? Content { get; init; }
    public string? ContentBase { get; init; }
    public string? Language { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];
    public IReadOnlyList<FeedEnclosure> Enclosures { get; init; } = [];
    public string? Comments { get; init; }
    public bool GuidIsPermaLink { get; init; }
}

public sealed record FeedLink(string Href, string Rel, string? Type, string? Title);

public sealed record FeedEnclosure(string Url, string? Type, long? Length, string Source);
