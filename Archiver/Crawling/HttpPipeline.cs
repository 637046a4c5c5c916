using System.Net;

namespace Archiver.Crawling;

/// <summary>
/// Asks robots.txt before every request of the crawl's HTTP client (pages and media alike); a refusal is counted
/// and thrown as a <see cref="RequestSkippedException"/>. The robots.txt requests themselves pass through.
/// </summary>
public sealed class RobotsHandler(RobotsPolicy robots, CrawlCounters counters) : DelegatingHandler
{
    /// <summary>Marks the request for a host's robots.txt: not asked about itself, not rate-limited.</summary>
    public static readonly HttpRequestOptionsKey<bool> RobotsFile = new("archiver.robots-file");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } url && !IsRobotsFile(request))
        {
            var (allowed, why) = await robots.CheckAsync(url, cancellationToken).ConfigureAwait(false);
            if (!allowed)
            {
                counters.AddRobotsBlocked();
                throw new RequestSkippedException(url, why, FetchFailureKind.RefusedRobots);
            }
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public static bool IsRobotsFile(HttpRequestMessage request) => request.Options.TryGetValue(RobotsFile, out var robots) && robots;
}

/// <summary>
/// The per-host rate limit: each request waits for one of the host's slots and its next start time (the rate, or
/// the site's Crawl-delay, or a server's Retry-After pause) in <see cref="HostScheduler"/>, and holds the slot until
/// its body is read. Outside the retries, as before: one request's retries keep its slot.
/// </summary>
public sealed class HostRateLimitHandler(HostScheduler scheduler) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } url || RobotsHandler.IsRobotsFile(request))
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var lease = await scheduler.AcquireAsync(UrlCanonicalizer.HostKey(url), cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.Content = new LeasedContent(response.Content, lease);
            return response;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The answer's body, releasing the host's slot when it is disposed (after it was read).</summary>
    private sealed class LeasedContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly IDisposable _lease;

        public LeasedContent(HttpContent inner, IDisposable lease)
        {
            _inner = inner;
            _lease = lease;
            // As sent: the headers are copied without parsing, so the WARC keeps them byte for byte.
            foreach (var (name, values) in inner.Headers.NonValidated) Headers.TryAddWithoutValidation(name, values);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            _inner.CopyToAsync(stream, cancellationToken);

        protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

        protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _lease.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
