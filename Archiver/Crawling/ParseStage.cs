using System.Threading.Channels;
using Archiver.Capturing;
using Archiver.Languages;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The parse workers: a captured page through its platform's pure parser into records and new requests. Pages
/// found go to the store stage (the frontier takes them once the records are committed); media the posts name go
/// to the frontier at once, and the page's records wait for them (without holding a worker) before they are stored.
/// </summary>
internal sealed class ParseStage(CrawlRun run, PlatformRegistry platforms, MediaDownloads media)
{
    private readonly List<Task> _waiting = [];
    private CrawlCounters Counters => run.Counters;
    private CrawlOptions Options => run.Options;

    /// <summary>A parsed page, and the media files its posts are waiting for (none when there are none to fetch).</summary>
    private sealed record Parsed(StoreWork Work, List<Post> Posts, IReadOnlyDictionary<string, Task<StoredMediaFile?>> Media);

    private static readonly IReadOnlyDictionary<string, Task<StoredMediaFile?>> NoMedia = new Dictionary<string, Task<StoredMediaFile?>>();

    public async Task RunAsync(ChannelReader<Captured> input, ChannelWriter<StoreWork> output)
    {
        await foreach (var captured in input.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var item = captured.Item;
            var parsed = await GuardedAsync(item, () => Task.FromResult(Parse(captured))).ConfigureAwait(false);
            if (parsed.Media.Count == 0)
            {
                await output.WriteAsync(parsed.Work, CancellationToken.None).ConfigureAwait(false);
                continue;
            }
            var waiting = StoreWhenSettledAsync(item, parsed, output);
            lock (_waiting)
            {
                _waiting.RemoveAll(t => t.IsCompleted);
                _waiting.Add(waiting);
            }
        }
    }

    /// <summary>Every page waiting for media has gone to the store stage (after <see cref="MediaDownloads.AbandonAll"/> at the latest).</summary>
    public Task WaitingPagesAsync()
    {
        lock (_waiting) return Task.WhenAll(_waiting);
    }

    private async Task StoreWhenSettledAsync(FrontierItem item, Parsed parsed, ChannelWriter<StoreWork> output)
    {
        var settled = await GuardedAsync(item, () => WithMediaAsync(parsed)).ConfigureAwait(false);
        await output.WriteAsync(settled.Work, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// The stage's own boundary, around what it does with a parser's result (language labels, media, the batch); the
    /// parser itself is guarded by <see cref="GuardedParsing.ParseGuarded"/>. A bug here fails the page with the
    /// reason instead of the crawl. A page whose media the crawl stopped before fetching is left pending, to be
    /// fetched again on resume.
    /// </summary>
    private async Task<Parsed> GuardedAsync(FrontierItem item, Func<Task<Parsed>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new Parsed(StoreWork.Unfinished(item), [], NoMedia);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var reason = $"page of '{item.Request.Platform}' could not be processed: {e.GetType().Name}: {e.Message}";
            run.Fail(item.Request, FetchFailureKind.Other, reason);
            return new Parsed(StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, reason)), [], NoMedia);
        }
    }

    private Parsed Parse(Captured captured)
    {
        var item = captured.Item;
        var request = item.Request;
        var response = captured.Response;
        if (response.RedirectTo is { } target) return new Parsed(Redirect(item, target), [], NoMedia);

        var platform = platforms.Find(request.Platform);
        if (platform is null)
        {
            var reason = $"no platform '{request.Platform}' is registered to parse this page";
            run.Fail(request, FetchFailureKind.Other, reason);
            return new Parsed(StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, reason)), [], NoMedia);
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
        using (Counters.Time(CrawlStage.Parse)) result = platform.ParseGuarded(page);
        if (result.Unreadable)
        {
            var reason = result.Problems[0].Reason;
            run.Fail(request, FetchFailureKind.Other, reason);
            return new Parsed(StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, reason)), [], NoMedia);
        }

        foreach (var problem in result.Problems.Where(p => p.Fatal)) run.Fail(request, FetchFailureKind.Other, problem.Reason);
        if (result.Gone.Count > 0 && !AccountEvidence.ForOtherAccount(request)) run.Seeds.Gone(request, result.Gone);
        // An error page is not an archived page of its seed, even when the parser took it calmly.
        var readable = response.Status is >= 200 and < 300;
        if (!readable && result.Gone.Count == 0 && !result.Problems.Any(p => p.Fatal))
            run.Seeds.Failed(request, FetchFailureKind.Other, result.Problems.FirstOrDefault()?.Reason ?? $"HTTP {response.Status} from {request.Url}");
        var seenAt = captured.Capture.FetchedAt;
        var languages = PostLanguages.Current;
        List<Post> posts;
        using (Counters.Time(CrawlStage.Parse)) posts = result.Posts.Where(InTimeRange).Select(languages.Label).ToList();
        var wanted = Options.NoMedia ? NoMedia : RequestMedia(request, posts);

        var observed = result.Gone.Select(g => new Disappearance(g.Key, g.Kind == "post" ? DisappearanceKind.Post : DisappearanceKind.Author,
            seenAt, g.Status, g.Reason, captured.Capture)).ToList();
        // A status that answers gone is claimed deleted only once its account is known to be there (AccountEvidence).
        var (gone, accountChecks) = run.Accounts.Sift(platform, request, response.Status, result, observed, captured.Capture);
        foreach (var _ in gone) Counters.AddGone();
        var batch = new StoreBatch
        {
            Posts = posts.Select(p => new PostObservation(p, seenAt, captured.Capture)).ToList(),
            Authors = result.Authors.Select(a => new AuthorObservation(a, seenAt, captured.Capture, a.Key == result.OwnPageOf)).ToList(),
            Media = [],
            Disappearances = gone,
        };
        var next = run.InScope(request, accountChecks.Count == 0 ? result.Next : [.. accountChecks, .. result.Next]);
        var listing = result.Listing is { } window && posts.Count > 0
            ? new ListingCheck(posts[0].Platform, posts[0].Host, window, seenAt, captured.Capture)
            : result.Listing is { } emptyWindow ? new ListingCheck(request.Platform, UrlCanonicalizer.HostKey(request.Url), emptyWindow, seenAt, captured.Capture) : null;
        return new Parsed(new StoreWork(item, new FrontierOutcome(item, FrontierState.Done), batch, next, listing, posts.Count, readable), posts, wanted);
    }

    /// <summary>[Since, Until): Until is the end of the day (month, second) the user named, exclusive, as in search and export.</summary>
    private bool InTimeRange(Post post) =>
        post.CreatedAt is not { } created
        || ((Options.Since is not { } since || created >= since) && (Options.Until is not { } until || created < until));

    private StoreWork Redirect(FrontierItem item, Uri target)
    {
        Counters.AddRedirect();
        var hops = item.Request.Context.TryGetValue("redirects", out var h) && int.TryParse(h, out var n) ? n : 0;
        if (hops >= 10)
        {
            run.Fail(item.Request, FetchFailureKind.Other, "more than 10 redirects");
            return StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, "more than 10 redirects"));
        }
        if (target.Scheme is not ("http" or "https"))
        {
            // A server's Location header never makes the crawler read a local file (file:) or another scheme.
            var refused = $"redirect to a non-HTTP URL refused: {target.Scheme}:";
            run.Fail(item.Request, FetchFailureKind.Other, refused);
            return StoreWork.Only(new FrontierOutcome(item, FrontierState.Failed, refused));
        }
        var context = new Dictionary<string, string>(item.Request.Context) { ["redirects"] = (hops + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // A redirect is followed even off the seed's hosts (the page moved); the address guard still applies.
        var next = item.Request with { Url = target, Context = context };
        return new StoreWork(item, new FrontierOutcome(item, FrontierState.Done, $"redirect to {target}"), new StoreBatch(), [next], null, 0);
    }

    /// <summary>The media files the posts name (by URL) and the archive does not hold yet: requested from the frontier.</summary>
    private Dictionary<string, Task<StoredMediaFile?>> RequestMedia(CrawlRequest page, List<Post> posts)
    {
        var wanted = new Dictionary<string, Task<StoredMediaFile?>>(StringComparer.Ordinal);
        foreach (var post in posts)
        {
            foreach (var m in post.Media)
            {
                if (m.Url is null || m.Sha256 is not null || wanted.ContainsKey(m.Url)
                    || !Uri.TryCreate(m.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    continue;
                wanted[m.Url] = media.Request(m.Url, url, page);
            }
        }
        return wanted;
    }

    /// <summary>The page's records once its media are settled: each post's media with their hashes, each new file once.</summary>
    private async Task<Parsed> WithMediaAsync(Parsed parsed)
    {
        await Task.WhenAll(parsed.Media.Values).ConfigureAwait(false);
        var work = parsed.Work;
        var posts = new List<Post>(parsed.Posts.Count);
        var files = new List<Media>();
        foreach (var post in parsed.Posts)
        {
            var refs = new List<MediaRef>(post.Media.Count);
            foreach (var m in post.Media)
            {
                if (m.Url is null || !parsed.Media.TryGetValue(m.Url, out var wait) || m.Sha256 is not null || await wait.ConfigureAwait(false) is not { } stored)
                {
                    refs.Add(m);
                    continue;
                }
                refs.Add(m with { Sha256 = stored.Sha256, Mime = m.Mime ?? stored.Mime });
                if (files.All(x => x.Sha256 != stored.Sha256))
                    files.Add(new Media { Sha256 = stored.Sha256, Mime = stored.Mime, Size = stored.Size, SourceUrl = m.Url, LocalPath = stored.RelativePath, FetchedAt = Options.Time.GetUtcNow().UtcDateTime });
            }
            posts.Add(post with { Media = refs });
        }
        var batch = work.Batch with
        {
            Posts = posts.Select((p, i) => work.Batch.Posts[i] with { Post = p }).ToList(),
            Media = files,
        };
        return parsed with { Work = work with { Batch = batch } };
    }
}
