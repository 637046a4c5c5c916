using System.Threading.Channels;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The fetch workers: each request through the HTTP pipeline (robots, per-host rate limit, retries, the address
/// guard: see <see cref="HttpFetcher"/>), through Chromium when the page needs scripts, or from a local file
/// when a seed names one. A request that fails for good is recorded here and goes straight to the store stage.
/// </summary>
internal sealed class FetchStage(CrawlRun run, HttpFetcher http, RobotsPolicy robots, HostScheduler scheduler, IBrowserFetcher? browser, MediaDownloads media)
{
    private CrawlCounters Counters => run.Counters;

    public async Task RunAsync(ChannelReader<FrontierItem> input, ChannelWriter<Fetched> output, ChannelWriter<StoreWork> done, CancellationToken stop)
    {
        await foreach (var item in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (item.Kind == RequestKind.Media)
            {
                await FetchMediaAsync(item, output).ConfigureAwait(false);
                continue;
            }
            // Once stopped, items still queued stay pending in the frontier and are fetched on resume.
            if (stop.IsCancellationRequested || run.AbortToken.IsCancellationRequested) continue;
            try
            {
                var fetched = await FetchAsync(item, stop).ConfigureAwait(false);
                await output.WriteAsync(fetched, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (RequestSkippedException e)
            {
                run.Seeds.Failed(item.Request, e.Kind, e.Reason);
                await done.WriteAsync(StoreWork.Only(new FrontierOutcome(item, FrontierState.Skipped, e.Reason)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (FetchFailedException e)
            {
                var retry = e.Retryable && item.Attempts + 1 < run.Options.MaxPageAttempts;
                if (!retry) run.Fail(item.Request, e.Kind, e.Reason);
                await done.WriteAsync(StoreWork.Only(new FrontierOutcome(item, retry ? FrontierState.Pending : FrontierState.Failed, e.Reason)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An unexpected failure fails this page, not the crawl: a fetch stage that died would leave the other
                // stages waiting for it forever (a crawl that never exits).
                var reason = $"fetch failed: {e.GetType().Name}: {e.Message}";
                run.Fail(item.Request, FetchFailureKind.Other, reason);
                await done.WriteAsync(StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, reason)), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<Fetched> FetchAsync(FrontierItem item, CancellationToken stop)
    {
        var url = item.Request.Url;
        if (url.IsFile)
        {
            // Only a seed the user typed names a local file; a discovered or redirected request never does.
            if (item.Request.Depth != 0 || item.Request.Context.ContainsKey("redirects"))
                throw new FetchFailedException(url, "a file: URL that is not a seed is refused") { Retryable = false };
            var file = await LocalFileFetch.ReadAsync(url, run.Options, stop).ConfigureAwait(false);
            Counters.AddPage(file.RawBody.Length);
            return new Fetched(item, file, null);
        }
        if (item.Request.NeedsBrowser) return await FetchInBrowserAsync(item, stop).ConfigureAwait(false);
        using var timer = Counters.Time(CrawlStage.Fetch);
        var response = await http.FetchAsync(url, stop).ConfigureAwait(false);
        Counters.AddPage(response.RawBody.Length);
        return new Fetched(item, response, null);
    }

    /// <summary>
    /// Chromium does not go through the HTTP pipeline: robots.txt and the host's rate are asked here, and the
    /// browser's own proxy (<see cref="GuardedProxy"/>) guards the addresses of everything the page loads.
    /// </summary>
    private async Task<Fetched> FetchInBrowserAsync(FrontierItem item, CancellationToken stop)
    {
        var url = item.Request.Url;
        var (allowed, why) = await robots.CheckAsync(url, stop).ConfigureAwait(false);
        if (!allowed)
        {
            Counters.AddRobotsBlocked();
            throw new RequestSkippedException(url, why, FetchFailureKind.RefusedRobots);
        }
        using var timer = Counters.Time(CrawlStage.Fetch);
        using var lease = await scheduler.AcquireAsync(UrlCanonicalizer.HostKey(url), stop).ConfigureAwait(false);
        if (browser is null || browser.Unavailable is not null)
        {
            Counters.AddSkippedBrowser();
            run.BrowserNote = browser?.Unavailable ?? "no browser fetcher configured";
            throw new RequestSkippedException(url, "needs a browser: " + run.BrowserNote, FetchFailureKind.NeedsBrowser);
        }
        var page = await browser.FetchAsync(url, run.Options.IgnoreRobots ? null : BrowserRequestAllowedAsync, stop).ConfigureAwait(false);
        Counters.AddPage(page.Main.RawBody.Length + page.Network.Sum(n => (long)n.RawBody.Length));
        // A page whose scripts fetch its content renders an empty shell when that fetch failed (a 503 of its
        // data.json): retry the page rather than archive the shell as a page that holds nothing.
        if (page.Network.FirstOrDefault(n => n.Status is 429 or >= 500 && string.Equals(n.Url.Authority, url.Authority, StringComparison.OrdinalIgnoreCase)) is { } failed)
            throw new FetchFailedException(url, $"the page's own request {failed.Url.AbsolutePath} answered {failed.Status}");
        return new Fetched(item, page.Main, page);
    }

    /// <summary>robots.txt for a request a browser page makes; a refusal counts as robots-blocked.</summary>
    private async Task<bool> BrowserRequestAllowedAsync(Uri url, CancellationToken ct)
    {
        var (allowed, _) = await robots.CheckAsync(url, ct).ConfigureAwait(false);
        if (!allowed) Counters.AddRobotsBlocked();
        return allowed;
    }

    /// <summary>
    /// A media file: fetched through the same pipeline as pages (so robots, the rate limit and the address guard
    /// apply), until the crawl fails; a user's stop still lets it finish, as the page that waits for it is parsed.
    /// What cannot be had settles the wait with nothing, and the post keeps the media's URL without a hash.
    /// </summary>
    private async Task FetchMediaAsync(FrontierItem item, ChannelWriter<Fetched> output)
    {
        var url = item.Request.Url;
        FetchResponse response;
        try
        {
            using (Counters.Time(CrawlStage.Fetch)) response = await http.FetchAsync(url, run.AbortToken).ConfigureAwait(false);
        }
        catch (RequestSkippedException)
        {
            // Refused by robots.txt (counted by the pipeline): not an error.
            media.Settle(item.Request, null);
            return;
        }
        catch (FetchFailedException e)
        {
            run.Fail(url.AbsoluteUri, "media: " + e.Reason);
            media.Settle(item.Request, null);
            return;
        }
        catch (OperationCanceledException)
        {
            media.Settle(item.Request, null);
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            media.Fault(item.Request, e);
            return;
        }
        await output.WriteAsync(new Fetched(item, response, null), CancellationToken.None).ConfigureAwait(false);
    }
}

/// <summary>A request deliberately not fetched (robots, browser unavailable): recorded, not retried, not an error.</summary>
public sealed class RequestSkippedException : FetchFailedException
{
    public RequestSkippedException(Uri url, string reason, FetchFailureKind kind)
        : base(url, reason)
    {
        Kind = kind;
        Retryable = false;
    }
}
