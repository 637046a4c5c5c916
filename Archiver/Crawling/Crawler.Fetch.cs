using System.Threading.Channels;
using Archiver.Capturing;
using Archiver.Model;

using Archiver.Storage;

namespace Archiver.Crawling;

public sealed partial class Crawler
{
    private sealed record Fetched(FrontierItem Item, FetchResponse Response, BrowserPage? Browser);

    private sealed record Captured(FrontierItem Item, FetchResponse Response, Capture Capture, string? RenderedHtml);

    private Exception? _fatal;
    private readonly CancellationTokenSource _abort = new();

    /// <summary>A stage failed in a way the crawl cannot go on from (disk full, store error): stop taking work.</summary>
    private void Abort(Exception e)
    {
        Interlocked.CompareExchange(ref _fatal, e, null);
        _abort.Cancel();
    }

    private async Task FetchLoopAsync(ChannelReader<FrontierItem> input, ChannelWriter<Fetched> output, ChannelWriter<StoreWork> done, CancellationToken stop)
    {
        await foreach (var item in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            // Once stopped, items still queued stay pending in the frontier and are fetched on resume.
            if (stop.IsCancellationRequested || _abort.IsCancellationRequested) continue;
            try
            {
                var fetched = await FetchAsync(item, stop).ConfigureAwait(false);
                if (fetched is null) continue;
                await output.WriteAsync(fetched, CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (SkipException e)
            {
                SeedFailed(item.Request, e.Kind, e.Reason);
                await done.WriteAsync(StoreWork.Only(new FrontierOutcome(item, FrontierState.Skipped, e.Reason)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (FetchFailedException e)
            {
                var retry = e.Retryable && item.Attempts + 1 < _options.MaxPageAttempts;
                if (!retry) Fail(item.Request, e.Kind, e.Reason);
                await done.WriteAsync(StoreWork.Only(new FrontierOutcome(item, retry ? FrontierState.Pending : FrontierState.Failed, e.Reason)), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An unexpected failure fails this page, not the crawl: a fetch stage that died would leave the other
                // stages waiting for it forever (a crawl that never exits).
                var reason = $"fetch failed: {e.GetType().Name}: {e.Message}";
                Fail(item.Request, FetchFailureKind.Other, reason);
                await done.WriteAsync(StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, reason)), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private async Task<Fetched?> FetchAsync(FrontierItem item, CancellationToken stop)
    {
        var url = item.Request.Url;
        if (url.IsFile)
        {
            // Only a seed the user typed names a local file; a discovered or redirected request never does.
            if (item.Request.Depth != 0 || item.Request.Context.ContainsKey("redirects"))
                throw new FetchFailedException(url, "a file: URL that is not a seed is refused") { Retryable = false };
            var file = await LocalFileFetch.ReadAsync(url, _options, stop).ConfigureAwait(false);
            Counters.AddPage(file.RawBody.Length);
            return new Fetched(item, file, null);
        }
        var (allowed, why) = await _robots.CheckAsync(url, stop).ConfigureAwait(false);
        if (!allowed)
        {
            Counters.AddRobotsBlocked();
            throw new SkipException(why, FetchFailureKind.RefusedRobots);
        }
        using var timer = Counters.Time(CrawlStage.Fetch);
        using var lease = await _scheduler.AcquireAsync(UrlCanonicalizer.HostKey(url), stop).ConfigureAwait(false);
        if (item.Request.NeedsBrowser)
        {
            if (_browser is null || _browser.Unavailable is not null)
            {
                Counters.AddSkippedBrowser();
                _browserNote = _browser?.Unavailable ?? "no browser fetcher configured";
                throw new SkipException("needs a browser: " + _browserNote, FetchFailureKind.NeedsBrowser);
            }
            var page = await _browser.FetchAsync(url, _options.IgnoreRobots ? null : BrowserRequestAllowedAsync, stop).ConfigureAwait(false);
            Counters.AddPage(page.Main.RawBody.Length + page.Network.Sum(n => (long)n.RawBody.Length));
            // A page whose scripts fetch its content renders an empty shell when that fetch failed (a 503 of its
            // data.json): retry the page rather than archive the shell as a page that holds nothing.
            if (page.Network.FirstOrDefault(n => n.Status is 429 or >= 500 && string.Equals(n.Url.Authority, url.Authority, StringComparison.OrdinalIgnoreCase)) is { } failed)
                throw new FetchFailedException(url, $"the page's own request {failed.Url.AbsolutePath} answered {failed.Status}");
            return new Fetched(item, page.Main, page);
        }
        var response = await _http.FetchAsync(url, stop).ConfigureAwait(false);
        Counters.AddPage(response.RawBody.Length);
        return new Fetched(item, response, null);
    }

    /// <summary>robots.txt for a request a browser page makes; a refusal counts as robots-blocked.</summary>
    private async Task<bool> BrowserRequestAllowedAsync(Uri url, CancellationToken ct)
    {
        var (allowed, _) = await _robots.CheckAsync(url, ct).ConfigureAwait(false);
        if (!allowed) Counters.AddRobotsBlocked();
        return allowed;
    }

    /// <summary>A page deliberately not fetched (robots, browser unavailable): recorded, not retried, not an error.</summary>
    private sealed class SkipException : FetchFailedException
    {
        public SkipException(string reason, FetchFailureKind kind)
            : base(new Uri("about:blank"), reason) => Kind = kind;
    }

    private async Task CaptureLoopAsync(ChannelReader<Fetched> input, ChannelWriter<Captured> output)
    {
        await foreach (var fetched in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_fatal is not null) continue;
            Captured captured;
            try
            {
                using var timer = Counters.Time(CrawlStage.Capture);
                captured = Capture(fetched);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Abort(new ArchiverException($"Cannot write WARC files in {_options.DataDir}: {e.Message}", e));
                continue;
            }
            await output.WriteAsync(captured, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private Captured Capture(Fetched fetched)
    {
        var response = fetched.Response;
        var request = fetched.Item.Request;
        var hints = CaptureHints.Fields(request.Platform, request.Context.GetValueOrDefault(Platforms.Sites.SiteParser.ProfileKey));
        var written = response.Url.IsFile
            ? LocalFileFetch.Capture(_warc, response, hints)
            : _warc.WriteExchange(response.ToExchange() with { ResponseRecordFields = hints }).Response;
        var capture = new Capture
        {
            Url = response.Url.AbsoluteUri,
            FetchedAt = response.Date.UtcDateTime,
            Status = response.Status,
            PayloadSha256 = written.PayloadSha256Hex,
            WarcFile = written.File,
            WarcOffset = written.Offset,
            WarcRecordId = written.RecordId,
        };
        if (fetched.Browser is { } page)
        {
            foreach (var resource in page.Network) _warc.WriteExchange(resource.ToExchange());
            _warc.WriteRecord(new WarcRecordDraft
            {
                Type = "conversion",
                TargetUri = response.Url.AbsoluteUri,
                ContentType = "text/html; charset=utf-8",
                RefersTo = written.RecordId,
                Block = System.Text.Encoding.UTF8.GetBytes(page.RenderedHtml),
                ExtraHeaders = [new("WARC-Archiver-Note", "DOM rendered by Chromium after scripts ran")],
            });
        }
        return new Captured(fetched.Item, response, capture, fetched.Browser?.RenderedHtml);
    }
}
