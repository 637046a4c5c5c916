using Archiver.Capturing;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>What the frontier hands out: a page (parsed, stored, durable in the frontier) or a media file of a parsed page.</summary>
public enum RequestKind { Page, Media }

/// <summary>A fetched answer on its way to the capture stage (with the browser's extra records when a browser fetched it).</summary>
internal sealed record Fetched(FrontierItem Item, FetchResponse Response, BrowserPage? Browser);

/// <summary>A page written to the WARC, on its way to the parsers.</summary>
internal sealed record Captured(FrontierItem Item, FetchResponse Response, Capture Capture, string? RenderedHtml);

/// <summary>What one page adds to the archive and to the frontier, handed to the single store stage.</summary>
/// <param name="Outcome">The page's new state in the frontier; null leaves it pending there (its media were not fetched before the crawl stopped).</param>
/// <param name="Archived">A page of its seed was read (2xx): counts for the seed's "archived" outcome.</param>
internal sealed record StoreWork(FrontierItem Item, FrontierOutcome? Outcome, StoreBatch Batch, IReadOnlyList<CrawlRequest> Next, ListingCheck? Listing, int Posts, bool Archived = false)
{
    public static StoreWork Only(FrontierOutcome outcome) => new(outcome.Item, outcome, new StoreBatch(), [], null, 0);

    /// <summary>Nothing stored and the page left pending: it is fetched again on resume.</summary>
    public static StoreWork Unfinished(FrontierItem item) => new(item, null, new StoreBatch(), [], null, 0);
}

/// <summary>A listing's id window, to find the archived posts it no longer shows.</summary>
internal sealed record ListingCheck(string Platform, string Host, ListingWindow Window, DateTime SeenAt, Capture Capture);
