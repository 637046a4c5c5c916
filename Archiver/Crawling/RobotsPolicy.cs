using System.Collections.Concurrent;
using System.Text;

namespace Archiver.Crawling;

/// <summary>
/// robots.txt per host, fetched through the same fetcher (so the guard and retries apply), and asked before every
/// request, pages and media alike. 4xx means no rules; a 5xx after retries means stay away, as RFC 9309 asks. A
/// robots.txt that cannot be fetched at all (no connection, refused address) is not a robots verdict: the host is
/// reported unreachable (or refused), and nothing else is asked of it while that answer is held. Answers are held in a
/// <see cref="RobotsCache"/>: the crawl's own (fetched once per host per crawl), or one shared by the crawls of a
/// watcher (once per host per TTL; failures for a few minutes). Crawl-delay slows the host in the scheduler. Off with
/// --ignore-robots.
/// </summary>
public sealed class RobotsPolicy(Func<Uri, CancellationToken, Task<FetchResponse>> fetch, HostScheduler scheduler, string userAgent, bool ignore, RobotsCache? cache = null)
{
    private readonly RobotsCache _cache = cache ?? RobotsCache.ForOneCrawl(TimeProvider.System);
    // Answers fetched before this crawl began came from an earlier one: its reasons say when they were fetched.
    private readonly DateTimeOffset _started = (cache?.Time ?? TimeProvider.System).GetUtcNow();
    // The answer whose Crawl-delay this crawl's scheduler was given, per origin: a cached answer slows this crawl too.
    private readonly ConcurrentDictionary<string, RobotsVerdict> _delayed = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when robots.txt allows <paramref name="url"/>; false (with the reason) when it does not. Throws the
    /// robots.txt fetch's <see cref="FetchFailedException"/>, re-aimed at <paramref name="url"/>, when the host
    /// could not be asked.
    /// </summary>
    public async Task<(bool Allowed, string Reason)> CheckAsync(Uri url, CancellationToken ct)
    {
        if (ignore) return (true, "");
        var key = $"{url.Scheme}://{url.Authority}";
        var verdict = await _cache.GetAsync(key, token => LoadAsync(url, token), ct).ConfigureAwait(false);
        ApplyCrawlDelay(key, url, verdict);
        if (verdict.Failure is { } failure)
        {
            throw new FetchFailedException(url, $"{failure.Reason} (while fetching {key}/robots.txt{Earlier(verdict)})", failure)
            {
                Kind = failure.Kind == FetchFailureKind.Other ? FetchFailureKind.Unreachable : failure.Kind,
                Retryable = false,
            };
        }
        return verdict.Rules.IsAllowed(url) ? (true, "") : (false, $"disallowed by {verdict.Source}{Earlier(verdict)}");
    }

    public async Task<bool> IsAllowedAsync(Uri url, CancellationToken ct) => (await CheckAsync(url, ct).ConfigureAwait(false)).Allowed;

    private string Earlier(RobotsVerdict verdict) =>
        verdict.FetchedAt < _started ? $"; as fetched at {verdict.FetchedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}" : "";

    private void ApplyCrawlDelay(string key, Uri url, RobotsVerdict verdict)
    {
        if (verdict.Rules.CrawlDelay is not { } delay || (_delayed.TryGetValue(key, out var applied) && ReferenceEquals(applied, verdict))) return;
        // Set, never lifted: a robots.txt without one leaves the last one (http and https of a host share its schedule).
        scheduler.SetCrawlDelay(UrlCanonicalizer.HostKey(url), delay);
        _delayed[key] = verdict;
    }

    private async Task<RobotsVerdict> LoadAsync(Uri url, CancellationToken ct)
    {
        var robotsUrl = new Uri(url, "/robots.txt");
        try
        {
            var response = await fetch(robotsUrl, ct).ConfigureAwait(false);
            var at = _cache.Time.GetUtcNow();
            if (response.Status is >= 200 and < 300)
                return new RobotsVerdict(RobotsRules.Parse(Encoding.UTF8.GetString(response.Body), userAgent), robotsUrl.AbsoluteUri, null, at, Transient: false);
            // 429 is a 4xx (no rules, as before) but says "not now", not "there is no robots.txt": asked again soon.
            return response.Status is >= 400 and < 500
                ? new RobotsVerdict(RobotsRules.AllowAll, robotsUrl.AbsoluteUri, null, at, Transient: response.Status == 429)
                : new RobotsVerdict(RobotsRules.DisallowAll, $"{robotsUrl.AbsoluteUri} (HTTP {response.Status}: a server error means stay away, RFC 9309)", null, at, Transient: true);
        }
        catch (FetchFailedException e)
        {
            // Retried already by the HTTP pipeline: the host is down or refused; every page of it fails with this reason.
            return new RobotsVerdict(RobotsRules.DisallowAll, robotsUrl.AbsoluteUri, e, _cache.Time.GetUtcNow(), Transient: true);
        }
    }
}
