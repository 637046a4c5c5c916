using System.Collections.Concurrent;
using System.Text;

namespace Archiver.Crawling;

/// <summary>
/// robots.txt per host, fetched once per crawl through the same fetcher (so the guard and retries apply), and
/// asked before every request, pages and media alike. 4xx means no rules; a 5xx after retries means stay away,
/// as RFC 9309 asks. A robots.txt that cannot be fetched at all (no connection, refused address) is not a
/// robots verdict: the host is reported unreachable (or refused) for that run, and nothing else is asked of it.
/// Crawl-delay slows the host in the scheduler. Off with --ignore-robots.
/// </summary>
public sealed class RobotsPolicy(Func<Uri, CancellationToken, Task<FetchResponse>> fetch, HostScheduler scheduler, string userAgent, bool ignore)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Verdict>>> _rules = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Verdict(RobotsRules Rules, string Source, FetchFailedException? Failure);

    /// <summary>
    /// True when robots.txt allows <paramref name="url"/>; false (with the reason) when it does not. Throws the
    /// robots.txt fetch's <see cref="FetchFailedException"/>, re-aimed at <paramref name="url"/>, when the host
    /// could not be asked.
    /// </summary>
    public async Task<(bool Allowed, string Reason)> CheckAsync(Uri url, CancellationToken ct)
    {
        if (ignore) return (true, "");
        var key = $"{url.Scheme}://{url.Authority}";
        var verdict = await _rules.GetOrAdd(key, _ => new Lazy<Task<Verdict>>(() => LoadAsync(url, ct))).Value.ConfigureAwait(false);
        if (verdict.Failure is { } failure)
        {
            throw new FetchFailedException(url, $"{failure.Reason} (while fetching {key}/robots.txt)", failure)
            {
                Kind = failure.Kind == FetchFailureKind.Other ? FetchFailureKind.Unreachable : failure.Kind,
                Retryable = false,
            };
        }
        return verdict.Rules.IsAllowed(url) ? (true, "") : (false, $"disallowed by {verdict.Source}");
    }

    public async Task<bool> IsAllowedAsync(Uri url, CancellationToken ct) => (await CheckAsync(url, ct).ConfigureAwait(false)).Allowed;

    private async Task<Verdict> LoadAsync(Uri url, CancellationToken ct)
    {
        var robotsUrl = new Uri(url, "/robots.txt");
        try
        {
            var response = await fetch(robotsUrl, ct).ConfigureAwait(false);
            if (response.Status is >= 200 and < 300)
            {
                var rules = RobotsRules.Parse(Encoding.UTF8.GetString(response.Body), userAgent);
                if (rules.CrawlDelay is { } delay) scheduler.SetCrawlDelay(UrlCanonicalizer.HostKey(url), delay);
                return new Verdict(rules, robotsUrl.AbsoluteUri, null);
            }
            return response.Status is >= 400 and < 500
                ? new Verdict(RobotsRules.AllowAll, robotsUrl.AbsoluteUri, null)
                : new Verdict(RobotsRules.DisallowAll, $"{robotsUrl.AbsoluteUri} (HTTP {response.Status}: a server error means stay away, RFC 9309)", null);
        }
        catch (FetchFailedException e)
        {
            // Retried already by the HTTP pipeline: the host is down or refused; every page of it fails with this reason.
            return new Verdict(RobotsRules.DisallowAll, robotsUrl.AbsoluteUri, e);
        }
    }
}
