using System.Diagnostics;
using System.Threading.Channels;
using Archiver.Capturing;
using Archiver.Indexing;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The crawl engine. Stages joined by bounded channels: a dispatcher takes work from the frontier; fetch
/// workers (politeness per host, robots, HTTP or browser); one capture stage writing WARC; parse workers
/// on the thread pool (pure platform parsers, media downloads); and one store stage that commits records
/// to the archive and only then marks pages done in the frontier. See docs/crawler.md.
/// </summary>
public sealed partial class Crawler
{
    private readonly CrawlOptions _options;
    private readonly PlatformRegistry _platforms;
    private readonly IBrowserFetcher? _browser;
    private readonly List<CrawlFailure> _failures = [];
    private readonly SemaphoreSlim _signal = new(0);
    private readonly HashSet<string> _scopeHosts = new(StringComparer.OrdinalIgnoreCase);
    private HostScheduler _scheduler = null!;
    private HttpFetcher _http = null!;
    private RobotsPolicy _robots = null!;
    private WarcWriter _warc = null!;
    private MediaStore _mediaStore = null!;
    private ArchiveStore _store = null!;
    private Frontier _frontier = null!;
    private long _inFlight;
    private long _dispatched;
    private string? _browserNote;

    public Crawler(CrawlOptions options, PlatformRegistry platforms, IBrowserFetcher? browser = null)
    {
        _options = options;
        _platforms = platforms;
        _browser = browser;
    }

    public CrawlCounters Counters { get; } = new();

    /// <summary>Index the stored posts during the crawl (on their own thread, beside the store stage), committing the index at the end.</summary>
    public bool IndexWhileCrawling { get; init; }

    private IndexFollower? _index;

    public IReadOnlyDictionary<string, int> QueueByHost() => _scheduler?.Waiting() ?? new Dictionary<string, int>();

    public long Pending => _frontier?.PendingCount ?? 0;

    /// <summary>Resolves seed texts with the registry; an unknown one is a usage error listing what is accepted.</summary>
    public static IReadOnlyList<(Seed Seed, IPlatform Platform)> ResolveSeeds(PlatformRegistry platforms, IEnumerable<string> texts)
    {
        var resolved = new List<(Seed, IPlatform)>();
        foreach (var text in texts)
        {
            if (platforms.TryParseSeed(text.Trim(), out var seed, out var platform)) resolved.Add((seed, platform!));
            else
            {
                var names = platforms.All.Count == 0 ? "(none registered)" : string.Join(", ", platforms.All.Select(p => p.Name));
                throw new UsageException(
                    $"No platform recognises the seed '{text}'. Known platforms: {names}. Seeds look like PLATFORM:NAME " +
                    "(telegram:durov, mastodon:@user@host), a platform URL (https://t.me/s/durov), or PLATFORM:URL to point a platform " +
                    "at another origin (telegram:http://127.0.0.1:5123/s/chan).");
            }
        }
        if (resolved.Count == 0) throw new UsageException("No seeds given: pass SEED arguments or --seeds-file FILE.");
        return resolved;
    }

    public async Task<CrawlSummary> RunAsync(IReadOnlyList<(Seed Seed, IPlatform Platform)> seeds, CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        var paths = new ArchivePaths(Path.GetFullPath(_options.DataDir));
        using var store = ArchiveStore.Open(paths.Root);
        using var frontier = Frontier.Open(Path.Combine(paths.Root, "frontier.db"), _options.Recheck);
        using var index = new CdxjIndex(Path.Combine(paths.Warc, "index.cdxj"));
        using var warc = new WarcWriter(new WarcWriterOptions
        {
            Directory = paths.Warc,
            MaxFileBytes = _options.WarcMaxBytes,
            Time = _options.Time,
            Index = index,
            Info = [new("robots", _options.IgnoreRobots ? "ignore" : "obey"), new("http-header-user-agent", _options.UserAgent)],
        });
        _store = store;
        _frontier = frontier;
        _warc = warc;
        _mediaStore = new MediaStore(paths.Root, _options.MaxMediaBytes);
        _scheduler = new HostScheduler(_options.PerHost, _options.RatePerHost, _options.Time);
        var pipelines = new ResiliencePipelines(_options, _scheduler, Counters);
        using var http = new HttpFetcher(_options, pipelines);
        _http = http;
        _robots = new RobotsPolicy(_http.FetchAsync, _scheduler, _options.UserAgent, _options.IgnoreRobots);

        var job = new CrawlJob { Id = Guid.NewGuid().ToString("N"), Seeds = seeds.Select(s => s.Seed.Original).ToList(), StartedAt = _options.Time.GetUtcNow().UtcDateTime };
        store.SaveJob(job);
        var starts = SeedRequests(seeds);
        SeedRequestsStarted(starts);
        frontier.AddSeeds(starts);

        // Opened (and caught up) before anything is stored, so every later commit reaches it through the store stage.
        // A busy index (another process writes it) is caught up later: by `archiver crawl` after the run, or any open.
        await using var follower = IndexWhileCrawling ? IndexFollower.TryOpen(store, IndexFollowerOptions.Crawl, stop) : null;
        _index = follower;
        var state = CrawlJobState.Finished;
        try
        {
            await RunStagesAsync(stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested) state = CrawlJobState.Interrupted;
            // The index's final commit counts in the crawl's time: the archive is searchable when this returns.
            if (follower is not null) await follower.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            state = CrawlJobState.Failed;
            throw;
        }
        finally
        {
            var complete = state == CrawlJobState.Finished && frontier.PendingCount == 0 && !LimitReached;
            frontier.MarkFinished(complete);
            store.SaveJob(job with
            {
                FinishedAt = _options.Time.GetUtcNow().UtcDateTime,
                State = state,
                Pages = Counters.Pages,
                Posts = Counters.Posts,
                Media = Counters.Media,
                Errors = Counters.Errors,
            });
        }
        return Summarize(job.Id, state, job.Seeds, watch.Elapsed);
    }

    private List<CrawlRequest> SeedRequests(IReadOnlyList<(Seed Seed, IPlatform Platform)> seeds)
    {
        var requests = new List<CrawlRequest>();
        foreach (var (seed, platform) in seeds)
        {
            if (seed.BaseUrl is { } baseUrl && Uri.TryCreate(baseUrl, UriKind.Absolute, out var b)) _scopeHosts.Add(UrlCanonicalizer.HostKey(b));
            foreach (var request in platform.Start(seed))
            {
                _scopeHosts.Add(UrlCanonicalizer.HostKey(request.Url));
                requests.Add(WithCrawlContext(request with { SeedOriginal = request.SeedOriginal ?? seed.Original }));
            }
        }
        return requests;
    }

    /// <summary>Passes --since/--until to the platforms through the request context.</summary>
    private CrawlRequest WithCrawlContext(CrawlRequest request)
    {
        if (_options.Since is null && _options.Until is null && _options.CapturedAt is null) return request;
        var context = new Dictionary<string, string>(request.Context);
        if (_options.CapturedAt is { } captured) context.TryAdd(CrawlRequest.CapturedAtKey, captured.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (_options.Since is { } since) context.TryAdd("since", since.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        if (_options.Until is { } until) context.TryAdd("until", until.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return request with { Context = context };
    }

    private bool LimitReached => _options.MaxPages is { } max && Interlocked.Read(ref _dispatched) >= max;

    private async Task RunStagesAsync(CancellationToken userStop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(userStop, _abort.Token);
        var stop = linked.Token;
        var toFetch = Channel.CreateBounded<FrontierItem>(new BoundedChannelOptions(_options.Concurrency) { SingleWriter = true });
        var fetched = Channel.CreateBounded<Fetched>(64);
        var captured = Channel.CreateBounded<Captured>(64);
        var toStore = Channel.CreateBounded<StoreWork>(128);

        var fetchers = Enumerable.Range(0, Math.Max(1, _options.Concurrency)).Select(_ => Task.Run(() => FetchLoopAsync(toFetch.Reader, fetched.Writer, toStore.Writer, stop))).ToList();
        var capture = Task.Run(() => CaptureLoopAsync(fetched.Reader, captured.Writer));
        var parsers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(_ => Task.Run(() => ParseLoopAsync(captured.Reader, toStore.Writer))).ToList();
        var storer = Task.Run(() => StoreLoopAsync(toStore.Reader));

        try
        {
            await DispatchAsync(toFetch.Writer, storer, stop).ConfigureAwait(false);
        }
        finally
        {
            toFetch.Writer.TryComplete();
            await Task.WhenAll(fetchers).ConfigureAwait(false);
            fetched.Writer.TryComplete();
            await capture.ConfigureAwait(false);
            captured.Writer.TryComplete();
            await Task.WhenAll(parsers).ConfigureAwait(false);
            toStore.Writer.TryComplete();
            await storer.ConfigureAwait(false);
        }
        if (_fatal is not null) throw _fatal as ArchiverException ?? new ArchiverException(_fatal.Message, _fatal);
    }

    /// <summary>A request of a seed failed for good: counted, listed, and charged to its seed's outcome.</summary>
    private void Fail(CrawlRequest request, FetchFailureKind kind, string reason)
    {
        SeedFailed(request, kind, reason);
        Fail(request.Url.AbsoluteUri, reason);
    }

    private void Fail(string url, string reason)
    {
        Counters.AddError();
        lock (_failures)
        {
            if (_failures.Count < 1000) _failures.Add(new CrawlFailure(url, reason));
        }
    }

    private Dictionary<string, double> StageSeconds(CrawlCounters c)
    {
        var seconds = Enum.GetValues<CrawlStage>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => Math.Round(c.StageTime(s).TotalSeconds, 3));
        if (_index is not null) seconds["index"] = Math.Round((_index.Busy + _index.CatchUpTime).TotalSeconds, 3);
        return seconds;
    }

    private CrawlSummary Summarize(string jobId, CrawlJobState state, IReadOnlyList<string> seeds, TimeSpan elapsed)
    {
        var c = Counters;
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        lock (_failures)
        {
            return new CrawlSummary
            {
                JobId = jobId,
                State = state,
                Seeds = seeds,
                SeedOutcomes = SeedOutcomes(seeds),
                Pages = c.Pages,
                Posts = c.Posts,
                Authors = c.Authors,
                Media = c.Media,
                MediaBytes = c.MediaBytes,
                Bytes = c.Bytes,
                Errors = c.Errors,
                Retries = c.Retries,
                ServerWaitSeconds = Math.Round(c.ServerWait.TotalSeconds, 3),
                RobotsBlocked = c.RobotsBlocked,
                OutOfScope = c.OutOfScope,
                Gone = c.Gone,
                Edited = c.Edited,
                Deleted = c.Deleted,
                Redirects = c.Redirects,
                SkippedBrowserPages = c.SkippedBrowser,
                Pending = _frontier.PendingCount + Interlocked.Read(ref _inFlight) + _deferredCount,
                ElapsedSeconds = Math.Round(seconds, 3),
                PagesPerSecond = Math.Round(c.Pages / seconds, 1),
                PostsPerSecond = Math.Round(c.Posts / seconds, 1),
                StageSeconds = StageSeconds(c),
                Failures = _failures.ToList(),
                BrowserNote = _browserNote,
            };
        }
    }
}
