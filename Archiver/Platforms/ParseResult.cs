using Archiver.Model;

namespace Archiver.Platforms;

/// <summary>What a page yielded. Expected outcomes (empty channel, account gone) are data, not exceptions.</summary>
public sealed record ParseResult
{
    public IReadOnlyList<Post> Posts { get; init; } = [];
    public IReadOnlyList<Author> Authors { get; init; } = [];
    public IReadOnlyList<CrawlRequest> Next { get; init; } = [];
    public IReadOnlyList<ParseProblem> Problems { get; init; } = [];

    /// <summary>Entities the page says are gone (author/channel keys or post keys), e.g. a 404 on re-check.</summary>
    public IReadOnlyList<GoneEntity> Gone { get; init; } = [];

    /// <summary>
    /// For listing pages: the native ids the page covers, as an inclusive range, so a re-crawl can tell a post
    /// that vanished from the listing (deleted) from one that is simply on another page.
    /// </summary>
    public ListingWindow? Listing { get; init; }

    /// <summary>
    /// The key of the account or channel whose own answer this page is (a Mastodon-API account lookup or record, a
    /// Telegram channel page), so that its 2xx says the account itself is up; null on pages that only embed accounts.
    /// </summary>
    public string? OwnPageOf { get; init; }

    /// <summary>The server's request budget as its X-RateLimit-* headers stated it, where it sent them.</summary>
    public RateLimitInfo? RateLimit { get; init; }

    /// <summary>
    /// The parser failed on this page (it threw; <see cref="GuardedParsing"/>): nothing can be said of it, so a crawl
    /// records the page as failed rather than done, and an import reports the record.
    /// </summary>
    public bool Unreadable { get; init; }

    public static ParseResult Empty { get; } = new();

    public static ParseResult Failure(string reason, string? location = null, bool fatal = false) =>
        new() { Problems = [new ParseProblem(reason, location, fatal)] };
}

/// <summary>
/// A page the parser could not (fully) read. <paramref name="Fatal"/> means the crawl of this seed
/// cannot go on (e.g. the server refuses unauthenticated access) and the user must be told why.
/// </summary>
public sealed record ParseProblem(string Reason, string? Location = null, bool Fatal = false);

public sealed record GoneEntity(string Key, string Kind, int Status, string Reason);

/// <summary>
/// A listing page's coverage: every live post of <paramref name="Channel"/> with an id in [FromId, ToId] must be among
/// <paramref name="Ids"/>. With <paramref name="ByAuthor"/>, <paramref name="Channel"/> is an account id and the
/// posts are the account's own (a Mastodon-API account timeline). <paramref name="Head"/>: the channel's newest page,
/// which also shows every post newer than <paramref name="ToId"/>, so a post archived above it before the page was
/// fetched and missing from it was deleted too (a channel's newest post deleted soon after it was published).
/// </summary>
public sealed record ListingWindow(string Channel, long FromId, long ToId, IReadOnlyList<string> Ids, bool ByAuthor = false, bool Head = false);
