namespace Archiver.Platforms;

/// <summary>Something a platform wants fetched, and why.</summary>
public sealed record CrawlRequest
{
    public required Uri Url { get; init; }
    public required string Platform { get; init; }

    /// <summary>What the page is, for the parser: "channel-page", "account-statuses", "context", "media", ...</summary>
    public required string Purpose { get; init; }

    /// <summary>Higher first. Newest pages of a channel get the highest priority when racing a takedown.</summary>
    public int Priority { get; init; }

    /// <summary>Links followed from the seed to get here.</summary>
    public int Depth { get; init; }

    /// <summary>Fetch with the Chromium browser fetcher (page needs JavaScript).</summary>
    public bool NeedsBrowser { get; init; }

    /// <summary>The seed this request descends from (its Original text), for scope and reporting.</summary>
    public string? SeedOriginal { get; init; }

    /// <summary>Small typed-as-string context a parser needs to interpret the answer (e.g. the channel, a site profile name).</summary>
    public IReadOnlyDictionary<string, string> Context { get; init; } = EmptyContext;

    internal static readonly IReadOnlyDictionary<string, string> EmptyContext = new Dictionary<string, string>();

    /// <summary>Context key of <c>crawl --captured-at</c> (ISO 8601, UTC): when saved pages were captured, for
    /// platforms that date posts from the capture time (Parler's "2 weeks ago").</summary>
    public const string CapturedAtKey = "captured_at";
}
