using System.Collections.Concurrent;
using System.Threading.Channels;
using Archiver.Capturing;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

public sealed partial class Crawler
{
    /// <summary>What one page adds to the archive and to the frontier, handed to the single store stage.</summary>
    /// <param name="Archived">A page of its seed was read (2xx): counts for the seed's "archived" outcome.</param>
    private sealed record StoreWork(FrontierOutcome Outcome, StoreBatch Batch, IReadOnlyList<CrawlRequest> Next, ListingCheck? Listing, int Posts, bool Archived = false)
    {
        public static StoreWork Only(FrontierOutcome outcome) => new(outcome, new StoreBatch(), [], null, 0);
    }

    private sealed record ListingCheck(string Platform, string Host, ListingWindow Window, DateTime SeenAt, Capture Capture);

    private readonly ConcurrentDictionary<string, Lazy<Task<StoredMediaFile?>>> _mediaByUrl = new(StringComparer.Ordinal);

    private async Task ParseLoopAsync(ChannelReader<Captured> input, ChannelWriter<StoreWork> output)
    {
        await foreach (var captured in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            StoreWork work;
            try
            {
                work = await ParseAsync(captured).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A parser must not throw; if one does, the page fails with the reason instead of the crawl.
                var reason = $"parser '{captured.Item.Request.Platform}' failed: {e.GetType().Name}: {e.Message}";
                Fail(captured.Item.Request, FetchFailureKind.Other, reason);
                work = StoreWork.Only(new FrontierOutcome(captured.Item, FrontierState.Failed, reason));
            }
            await output.WriteAsync(work, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<StoreWork> ParseAsync(Captured captured)
    {
        var item = captured.Item;
        var request = item.Request;
        var response = captured.Response;
        if (response.RedirectTo is { } target) return Redirect(item, target);

        var platform = _platforms.Find(request.Platform);
        if (platform is null)
        {
            var reason = $"no platform '{request.Platform}' is registered to parse this page";
            Fail(request, FetchFailureKind.Other, reason);
            return StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, reason));
        }
        var page = new FetchedPage
        {
            Url = response.Url,
            Status = response.Status,
            Body = captured.RenderedHtml is { } dom ? System.Text.Encoding.UTF8.GetBytes(dom) : response.Body,
            ContentType = captured.RenderedHtml is null ? response.ContentType : "text/html; charset=utf-8",
            Headers = response.ResponseHeaders.Fields.GroupBy(f => f.Key, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => string.Join(", ", g.Select(f => f.Value)), StringComparer.OrdinalIgnoreCase),
            FetchedAt = captured.Capture.FetchedAt,
            Request = request,
            Capture = captured.Capture,
        };
        ParseResult result;
        using (Counters.Time(CrawlStage.Parse)) result = platform.Parse(page);

        foreach (var problem in result.Problems.Where(p => p.Fatal)) Fail(request, FetchFailureKind.Other, problem.Reason);
        if (result.Gone.Count > 0) SeedGone(request, result.Gone);
        // An error page is not an archived page of its seed, even when the parser took it calmly.
        var readable = response.Status is >= 200 and < 300;
        if (!readable && result.Gone.Count == 0 && !result.Problems.Any(p => p.Fatal))
            SeedFailed(request, FetchFailureKind.Other, result.Problems.FirstOrDefault()?.Reason ?? $"HTTP {response.Status} from {request.Url}");
        var seenAt = captured.Capture.FetchedAt;
        var languages = PostLanguages.Current;
        List<Post> posts;
        using (Counters.Time(CrawlStage.Parse)) posts = result.Posts.Where(InTimeRange).Select(languages.Label).ToList();
        var media = new List<Media>();
        if (!_options.NoMedia && posts.Any(p => p.Media.Any(m => m.Url is not null && m.Sha256 is null)))
            posts = await DownloadMediaAsync(posts, media).ConfigureAwait(false);

        var gone = result.Gone.Select(g => new Disappearance(g.Key, g.Kind == "post" ? DisappearanceKind.Post : DisappearanceKind.Author,
            seenAt, g.Status, g.Reason, captured.Capture)).ToList();
        foreach (var _ in gone) Counters.AddGone();
        var batch = new StoreBatch
        {
            Posts = posts.Select(p => new PostObservation(p, seenAt, captured.Capture)).ToList(),
            Authors = result.Authors.Select(a => new AuthorObservation(a, seenAt, captured.Capture)).ToList(),
            Media = media,
            Disappearances = gone,
        };
        var next = Discover(request, result.Next);
        var listing = result.Listing is { } window && posts.Count > 0
            ? new ListingCheck(posts[0].Platform, posts[0].Host, window, seenAt, captured.Capture)
            : result.Listing is { } emptyWindow ? new ListingCheck(request.Platform, UrlCanonicalizer.HostKey(request.Url), emptyWindow, seenAt, captured.Capture) : null;
        return new StoreWork(new FrontierOutcome(item, FrontierState.Done), batch, next, listing, posts.Count, readable);
    }

    /// <summary>[Since, Until): Until is the end of the day (month, second) the user named, exclusive, as in search and export.</summary>
    private bool InTimeRange(Post post) =>
        post.CreatedAt is not { } created
        || ((_options.Since is not { } since || created >= since) && (_options.Until is not { } until || created < until));

    private StoreWork Redirect(FrontierItem item, Uri target)
    {
        Counters.AddRedirect();
        var hops = item.Request.Context.TryGetValue("redirects", out var h) && int.TryParse(h, out var n) ? n : 0;
        if (hops >= 10)
        {
            Fail(item.Request, FetchFailureKind.Other, "more than 10 redirects");
            return StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, "more than 10 redirects"));
        }
        if (target.Scheme is not ("http" or "https"))
        {
            // A server's Location header never makes the crawler read a local file (file:) or another scheme.
            var refused = $"redirect to a non-HTTP URL refused: {target.Scheme}:";
            Fail(item.Request, FetchFailureKind.Other, refused);
            return StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, refused));
        }
        var context = new Dictionary<string, string>(item.Request.Context) { ["redirects"] = (hops + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // A redirect is followed even off the seed's hosts (the page moved); the address guard still applies.
        var next = item.Request with { Url = target, Context = context };
        return new StoreWork(new FrontierOutcome(item, FrontierState.Done, $"redirect to {target}"), new StoreBatch(), [next], null, 0);
    }

    /// <summary>Requests a page produced, kept when in scope: the seeds' hosts, and within --max-depth.</summary>
    private List<CrawlRequest> Discover(CrawlRequest parent, IReadOnlyList<CrawlRequest> requests)
    {
        var kept = new List<CrawlRequest>(requests.Count);
        foreach (var request in requests)
        {
            if (!_scopeHosts.Contains(UrlCanonicalizer.HostKey(request.Url))
                || (_options.MaxDepth is { } max && request.Depth > max)
                || request.Url.Scheme is not ("http" or "https"))
            {
                Counters.AddOutOfScope();
                continue;
            }
            kept.Add(WithCrawlContext(request with { SeedOriginal = request.SeedOriginal ?? parent.SeedOriginal }));
        }
        return kept;
    }

    private async Task<List<Post>> DownloadMediaAsync(List<Post> posts, List<Media> media)
    {
        var result = new List<Post>(posts.Count);
        foreach (var post in posts)
        {
            var refs = new List<MediaRef>(post.Media.Count);
            foreach (var m in post.Media)
            {
                if (m.Url is null || m.Sha256 is not null || !Uri.TryCreate(m.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    refs.Add(m);
                    continue;
                }
                var stored = await _mediaByUrl.GetOrAdd(m.Url, u => new Lazy<Task<StoredMediaFile?>>(() => DownloadAsync(url))).Value.ConfigureAwait(false);
                if (stored is null)
                {
                    refs.Add(m);
                    continue;
                }
                refs.Add(m with { Sha256 = stored.Sha256, Mime = m.Mime ?? stored.Mime });
                lock (media)
                {
                    if (media.All(x => x.Sha256 != stored.Sha256))
                        media.Add(new Media { Sha256 = stored.Sha256, Mime = stored.Mime, Size = stored.Size, SourceUrl = m.Url, LocalPath = stored.RelativePath, FetchedAt = _options.Time.GetUtcNow().UtcDateTime });
                }
            }
            result.Add(post with { Media = refs });
        }
        return result;
    }

    private async Task<StoredMediaFile?> DownloadAsync(Uri url)
    {
        // Downloaded in an earlier run: the bytes are content-addressed, so the same URL is not fetched again.
        if (_frontier.MediaSha(url.AbsoluteUri) is { } knownSha && _store.GetMedia(knownSha) is { } known
            && File.Exists(_mediaStore.FullPath(known.LocalPath)))
        {
            return new StoredMediaFile(known.Sha256, known.Size, known.Mime, known.LocalPath, IsNew: false);
        }
        try
        {
            // Media obey robots.txt like pages (their host may be another one, with rules of its own).
            var (allowed, _) = await _robots.CheckAsync(url, _abort.Token).ConfigureAwait(false);
            if (!allowed)
            {
                Counters.AddRobotsBlocked();
                return null;
            }
            FetchResponse response;
            using (Counters.Time(CrawlStage.Fetch))
            using (await _scheduler.AcquireAsync(UrlCanonicalizer.HostKey(url), _abort.Token).ConfigureAwait(false))
            {
                response = await _http.FetchAsync(url, _abort.Token).ConfigureAwait(false);
            }
            using (Counters.Time(CrawlStage.Capture)) _warc.WriteExchange(response.ToExchange());
            if (response.Status is < 200 or >= 300)
            {
                Fail(url.AbsoluteUri, $"media answered HTTP {response.Status}");
                return null;
            }
            var stored = _mediaStore.Store(response.Body, response.ContentType, url.AbsoluteUri);
            if (stored is null)
            {
                Fail(url.AbsoluteUri, $"media over the {_options.MaxMediaBytes:N0}-byte limit");
                return null;
            }
            if (stored.IsNew) Counters.AddMedia(stored.Size);
            _frontier.RememberMedia(url.AbsoluteUri, stored.Sha256);
            return stored;
        }
        catch (FetchFailedException e)
        {
            Fail(url.AbsoluteUri, "media: " + e.Reason);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
