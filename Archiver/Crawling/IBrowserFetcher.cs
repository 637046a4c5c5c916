namespace Archiver.Crawling;

/// <summary>Fetches a page in a real browser (JavaScript run): the main response, the rendered DOM, and what the page loaded.</summary>
public interface IBrowserFetcher : IAsyncDisposable
{
    /// <summary>Why the browser cannot be used (Chromium missing, ...), or null when it can.</summary>
    string? Unavailable { get; }

    /// <param name="allowed">Asked before each request the page makes (robots.txt); a request it refuses is not sent. Null: all.</param>
    Task<BrowserPage> FetchAsync(Uri url, Func<Uri, CancellationToken, Task<bool>>? allowed, CancellationToken ct);
}

/// <summary>A page as the browser got it: the document response, the DOM after scripts ran, and the other network responses.</summary>
public sealed record BrowserPage(FetchResponse Main, string RenderedHtml, IReadOnlyList<FetchResponse> Network);
