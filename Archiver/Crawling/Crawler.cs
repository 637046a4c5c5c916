using System.Diagnostics;
using System.Threading.Channels;
using Archiver.Capturing;
using Archiver.Indexing;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Crawling;

/// <summary>
/// The crawl engine. <see cref="RunAsync"/> opens the archive, the frontier and the WARC writer, builds one
/// <see cref="CrawlRun"/> and its stages joined by bounded channels: <see cref="DispatchStage"/> takes work from
/// the frontier; <see cref="FetchStage"/> workers fetch it through the HTTP pipeline (robots, per-host rate, the
/// address guard) or a browser; one <see cref="CaptureStage"/> writes WARC (and stores media files);
/// <see cref="ParseStage"/> workers run the pure platform parsers and send the media the posts name back to the
/// frontier; one <see cref="StoreStage"/> commits records to the archive and only then marks pages done in the
/// frontier. See docs/crawler.md.
/// </summary>
public sealed class Crawler(CrawlOptions options, PlatformRegistry platforms, IBrowserFetcher? browser = null)
{
    private Frontier? _frontier;
    private HostScheduler? _scheduler;

    public CrawlCounters Counters { get; } = new();

    /// <summary>Index the stored posts during the crawl (on their own thread, beside the store stage), committing the index at the end.</summary>
    public bool IndexWhileCrawling { get; init; }

    /// <summary>Where progress goes, as plain snapshots, twice a second during <see cref="RunAsync"/> and once at its end.</summary>
    public IProgress<CrawlProgress>? Progress { get; init; }

    /// <summary>Fires after each commit (archive, then frontier), on the store stage's thread.</summary>
    public event Action<StoreBatchResult>? Committed;

    /// <summary>
    /// The caller's WARC writer (thread-safe), shared by crawls of one process that run side by side (a watch's
    /// checks): one file for all of them instead of one per crawl. The caller disposes it. Null: the crawl opens its own.
    /// </summary>
    public WarcWriter? Warc { get; init; }

    /// <summary>
    /// The caller's politeness per host, shared by crawls of one process that follow each other (a watch's checks):
    /// a host's rate then holds across them, where a scheduler of each crawl's own would let the next crawl's first
    /// request go at once. Null: the crawl has its own, from <see cref="CrawlOptions.PerHost"/> and <see cref="CrawlOptions.RatePerHost"/>.
    /// </summary>
    public HostScheduler? Hosts { get; init; }

    /// <summary>
    /// The caller's robots.txt answers, shared by crawls of one process that follow each other (a watch's checks): a host's
    /// robots.txt is then fetched once per the cache's TTL, where each crawl would fetch it again. Null: the crawl fetches
    /// each host's robots.txt once and keeps it for its life.
    /// </summary>
    public RobotsCache? Robots { get; init; }

    /// <summary>A WARC writer (and the CDXJ index it appends to) in the archive's <c>warc/</c>, as a crawl opens its own.</summary>
    public static WarcWriter OpenWarc(CrawlOptions options, ArchivePaths paths, CdxjIndex cdxj) => new(new WarcWriterOptions
    {
        Directory = paths.Warc,
        MaxFileBytes = options.WarcMaxBytes,
        Time = options.Time,
        Index = cdxj,
        Info = [new("robots", options.IgnoreRobots ? "ignore" : "obey"), new("http-header-user-agent", options.UserAgent)],
    });

    public IReadOnlyDictionary<string, int> QueueByHost() => _scheduler?.Waiting() ?? new Dictionary<string, int>();

    public long Pending => _frontier?.PendingCount ?? 0;

    /// <summary>The crawl so far, as the progress display shows it.</summary>
    public CrawlProgress Snapshot() => new(
        Counters.Pages, Counters.Posts, Counters.Media, Counters.MediaBytes, Counters.Bytes, Counters.Errors, Counters.Retries, Pending, QueueByHost());

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

    /// <summary>
    /// Crawls into the archive in <see cref="CrawlOptions.DataDir"/> with a session of its own (the search index
    /// following its commits when <see cref="IndexWhileCrawling"/>), completed before this returns: the archive is
    /// searchable then.
    /// </summary>
    public async Task<CrawlSummary> RunAsync(IReadOnlyList<(Seed Seed, IPlatform Platform)> seeds, CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        // Parsed pages wait for the language models: loaded while the archive opens.
        Languages.PostLanguages.Preload();
        var follower = IndexWhileCrawling ? IndexFollower.Opener(IndexFollowerOptions.Crawl) : null;
        // Opened (and the index caught up) before anything is stored, so every later commit reaches the index.
        // A busy index (another process writes it) is caught up later: by `archiver crawl` after the run, or any open.
        await using var session = ArchiveSession.Open(Path.GetFullPath(options.DataDir), new ArchiveSessionOptions { Follower = follower }, stop);
        return await RunAsync(seeds, session, completeSession: true, watch, stop).ConfigureAwait(false);
    }

    /// <summary>Crawls through the caller's archive session (which the caller completes and disposes).</summary>
    public Task<CrawlSummary> RunAsync(IReadOnlyList<(Seed Seed, IPlatform Platform)> seeds, ArchiveSession session, CancellationToken stop) =>
        RunAsync(seeds, session, completeSession: false, Stopwatch.StartNew(), stop);

    private async Task<CrawlSummary> RunAsync(IReadOnlyList<(Seed Seed, IPlatform Platform)> seeds, ArchiveSession session, bool completeSession, Stopwatch watch, CancellationToken stop)
    {
        var paths = session.Paths;
        var store = session.Store;
        using var frontier = Frontier.Open(options.FrontierPath ?? Path.Combine(paths.Root, "frontier.db"), options.Recheck);
        using var cdxj = Warc is null ? new CdxjIndex(Path.Combine(paths.Warc, "index.cdxj")) : null;
        using var ownWarc = Warc is null ? OpenWarc(options, paths, cdxj!) : null;
        var warc = Warc ?? ownWarc!;
        var scheduler = Hosts ?? new HostScheduler(options.PerHost, options.RatePerHost, options.Time);
        using var http = new HttpFetcher(options, scheduler, Counters, Robots);
        _frontier = frontier;
        _scheduler = scheduler;
        var run = new CrawlRun(options, Counters, store, frontier);

        var job = new CrawlJob { Id = Guid.NewGuid().ToString("N"), Seeds = seeds.Select(s => s.Seed.Original).ToList(), StartedAt = options.Time.GetUtcNow().UtcDateTime };
        store.SaveJob(job);
        frontier.AddSeeds(run.StartRequests(seeds));

        var index = session.Follower as IndexFollower;
        var dispatch = new DispatchStage(run, scheduler);
        var files = new MediaStore(paths.Root, options.MaxMediaBytes);
        var media = new MediaDownloads(run, files, dispatch);
        var stages = new Stages(
            dispatch,
            new FetchStage(run, http, http.Robots, scheduler, browser, media),
            new CaptureStage(run, warc, files, media),
            new ParseStage(run, platforms, media),
            new StoreStage(run, dispatch, session.Writer, r => Committed?.Invoke(r)),
            media);
        var state = CrawlJobState.Finished;
        using var reporting = Progress is { } progress ? new Timer(_ => progress.Report(Snapshot()), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)) : null;
        try
        {
            await RunStagesAsync(run, stages, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested) state = CrawlJobState.Interrupted;
            // The index's final commit counts in the crawl's time: the archive is searchable when this returns.
            if (completeSession) await session.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            state = CrawlJobState.Failed;
            throw;
        }
        finally
        {
            var complete = state == CrawlJobState.Finished && frontier.PendingCount == 0 && !dispatch.LimitReached;
            frontier.MarkFinished(complete);
            store.SaveJob(job with
            {
                FinishedAt = options.Time.GetUtcNow().UtcDateTime,
                State = state,
                Pages = Counters.Pages,
                Posts = Counters.Posts,
                Media = Counters.Media,
                Errors = Counters.Errors,
            });
        }
        Progress?.Report(Snapshot());
        return Summarize(run, dispatch, index, job.Id, state, job.Seeds, watch.Elapsed);
    }

    private sealed record Stages(DispatchStage Dispatch, FetchStage Fetch, CaptureStage Capture, ParseStage Parse, StoreStage Store, MediaDownloads Media);

    private static async Task RunStagesAsync(CrawlRun run, Stages stages, CancellationToken userStop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(userStop, run.AbortToken);
        var stop = linked.Token;
        var concurrency = Math.Max(1, run.Options.Concurrency);
        var toFetch = Channel.CreateBounded<FrontierItem>(new BoundedChannelOptions(run.Options.Concurrency) { SingleWriter = true });
        var fetched = Channel.CreateBounded<Fetched>(64);
        var captured = Channel.CreateBounded<Captured>(64);
        var toStore = Channel.CreateBounded<StoreWork>(128);

        var fetchers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => stages.Fetch.RunAsync(toFetch.Reader, fetched.Writer, toStore.Writer, stop))).ToList();
        var capture = Task.Run(() => stages.Capture.RunAsync(fetched.Reader, captured.Writer));
        var parsers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(_ => Task.Run(() => stages.Parse.RunAsync(captured.Reader, toStore.Writer))).ToList();
        var storer = Task.Run(() => stages.Store.RunAsync(toStore.Reader));

        try
        {
            await stages.Dispatch.RunAsync(toFetch.Writer, storer, stop).ConfigureAwait(false);
        }
        finally
        {
            toFetch.Writer.TryComplete();
            await Task.WhenAll(fetchers).ConfigureAwait(false);
            fetched.Writer.TryComplete();
            await capture.ConfigureAwait(false);
            captured.Writer.TryComplete();
            await Task.WhenAll(parsers).ConfigureAwait(false);
            // Media still queued when the crawl stopped are not fetched: the pages waiting for them stay pending.
            stages.Media.AbandonAll();
            await stages.Parse.WaitingPagesAsync().ConfigureAwait(false);
            toStore.Writer.TryComplete();
            await storer.ConfigureAwait(false);
        }
        if (run.Fatal is { } fatal) throw fatal as ArchiverException ?? new ArchiverException(fatal.Message, fatal);
    }

    private static Dictionary<string, double> StageSeconds(CrawlCounters c, IndexFollower? index)
    {
        var seconds = Enum.GetValues<CrawlStage>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => Math.Round(c.StageTime(s).TotalSeconds, 3));
        if (index is not null) seconds["index"] = Math.Round((index.Busy + index.CatchUpTime).TotalSeconds, 3);
        return seconds;
    }

    private CrawlSummary Summarize(CrawlRun run, DispatchStage dispatch, IndexFollower? index, string jobId, CrawlJobState state, IReadOnlyList<string> seeds, TimeSpan elapsed)
    {
        var c = Counters;
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        // Work of a seed still waiting: in the frontier's queue, or taken from it but held back for a busy host.
        var waiting = run.Frontier.PendingSeeds();
        foreach (var seed in dispatch.DeferredSeeds()) waiting.Add(seed);
        var outcomes = run.Seeds.Outcomes(seeds, waiting);
        // Remembered so that a later 404 of a seed archived once reads "gone", not "not found", and a failed seed is tried again.
        run.Frontier.RememberOutcomes(outcomes);
        return new CrawlSummary
        {
            JobId = jobId,
            State = state,
            Seeds = seeds,
            SeedOutcomes = outcomes,
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
            Pending = run.Frontier.PendingCount + dispatch.InFlight + dispatch.Deferred,
            ElapsedSeconds = Math.Round(seconds, 3),
            PagesPerSecond = Math.Round(c.Pages / seconds, 1),
            PostsPerSecond = Math.Round(c.Posts / seconds, 1),
            StageSeconds = StageSeconds(c, index),
            Failures = run.Failures(),
            BrowserNote = run.BrowserNote,
        };
    }
}

/// <summary>A crawl's progress at one moment: what the live display shows.</summary>
public sealed record CrawlProgress(long Pages, long Posts, long Media, long MediaBytes, long Bytes, long Errors, long Retries, long Queued, IReadOnlyDictionary<string, int> QueueByHost);
