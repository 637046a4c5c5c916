using System.Collections.Concurrent;
using System.Text;

namespace Archiver.Crawling;

/// <summary>
/// robots.txt per host, fetched once per crawl through the same fetcher (so the guard and retries apply).
/// 4xx means no rules; an unreachable robots.txt (5xx or no connection after retries) means stay away, as
/// RFC 9309 asks. Crawl-delay slows the host in the scheduler. Off with --ignore-robots.
/// </summary>
public sealed class RobotsPolicy(Func<Uri, CancellationToken, Task<FetchResponse>> fetch, HostScheduler scheduler, string userAgent, bool ignore)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RobotsRules>>> _rules = new(StringComparer.OrdinalIgnoreCase);

    public async Task<bool> IsAllowedAsync(Uri url, CancellationToken ct)
    {
        if (ignore) return true;
        var key = $"{url.Scheme}://{url.Authority}";
        var rules = await _rules.GetOrAdd(key, _ => new Lazy<Task<RobotsRules>>(() => LoadAsync(url, ct))).Value.ConfigureAwait(false);
        return rules.IsAllowed(url);
    }

    private async Task<RobotsRules> LoadAsync(Uri url, CancellationToken ct)
    {
        var robotsUrl = new Uri(url, "/robots.txt");
        try
        {
            var response = await fetch(robotsUrl, ct).ConfigureAwait(false);
            if (response.Status is >= 200 and < 300)
            {
                var rules = RobotsRules.Parse(Encoding.UTF8.GetString(response.Body), userAgent);
                if (rules.CrawlDelay is { } delay) scheduler.SetCrawlDelay(UrlCanonicalizer.HostKey(url), delay);
                return rules;
            }
            return response.Status is >= 400 and < 500 ? RobotsRules.AllowAll : RobotsRules.DisallowAll;
        }
        catch (FetchFailedException e) when (!e.Retryable)
        {
            // Refused (private address) or oversized: the page fetch will fail with the same clear reason.
            return RobotsRules.AllowAll;
        }
        catch (FetchFailedException)
        {
            return RobotsRules.DisallowAll;
        }
    }
}
