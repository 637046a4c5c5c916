using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Watching;

/// <summary>How much a check after the baseline fetches (docs/watch.md counts what it costs in requests).</summary>
public sealed record WatchCheckOptions
{
    /// <summary>Posts published in this window before the check are fetched again (edits and deletions are seen in it); older pages are not walked.</summary>
    public TimeSpan RecheckWindow { get; init; } = TimeSpan.FromDays(7);
    /// <summary>Pages a check fetches at most (listing pages, threads, media excluded); null for no limit.</summary>
    public long? RecheckPages { get; init; } = 20;
    /// <summary>Pages the first check (the baseline: the whole channel) fetches at most; null for no limit.</summary>
    public long? BaselinePages { get; init; }
}

/// <summary>
/// A check of one watched channel with the crawl engine, inside the watcher's archive session: the seed's pages are
/// fetched again (a new <c>--recheck</c> generation of the entry's own frontier, <c>watch/ID.frontier.db</c>), limited to
/// <see cref="WatchCheckOptions.RecheckWindow"/> (<c>--since</c>) and <see cref="WatchCheckOptions.RecheckPages"/>
/// (<c>--max-pages</c>), with the politeness, robots and address rules of the crawl options it is given. The first check
/// is the baseline: the whole channel, recording no events; later ones record events
/// (<see cref="CrawlOptions.RecordEvents"/>, stamped with the entry's id). A check interrupted by a stop or a kill
/// is run again whole the next time (a new generation from the seed).
/// </summary>
public sealed class WatchCrawlCheck(ArchiveSession session, PlatformRegistry platforms, CrawlOptions crawl, WarcWriter warc, IBrowserFetcher? browser, WatchCheckOptions? options = null)
{
    private readonly WatchCheckOptions _options = options ?? new WatchCheckOptions();

    // One politeness schedule for all the checks: each check is a crawl of its own, and checks of one host follow each
    // other at once, so a scheduler per check would start each check's first request without waiting for the host's
    // rate (back-to-back checks of 10,000 channels of one host went at the watcher's speed, not at --rate).
    private readonly HostScheduler _hosts = new(crawl.PerHost, crawl.RatePerHost, crawl.Time);

    // One robots.txt cache for all the checks, on the watch's clock: a crawl per check fetched the host's robots.txt for
    // every check (10,001 times in a pass over 10,000 channels of one host), outside the host's rate. Now once an hour
    // per host, failures once every few minutes (RobotsCache.DefaultTtl, DefaultFailureRetry; docs/watch.md).
    private readonly RobotsCache _robots = new(crawl.Time);

    /// <summary>The folder of the entries' frontier files.</summary>
    public static string FrontierDirectory(ArchivePaths paths) => Path.Combine(paths.Root, "watch");

    public async Task<WatchCheckResult> CheckAsync(WatchEntry entry, CancellationToken ct)
    {
        var seeds = Crawler.ResolveSeeds(platforms, [entry.Seed]);
        var baseline = entry.BaselineAt is null;
        var now = crawl.Time.GetUtcNow().UtcDateTime;
        Directory.CreateDirectory(FrontierDirectory(session.Paths));
        var options = crawl with
        {
            Seeds = [entry.Seed],
            Recheck = true,
            RecordEvents = !baseline,
            WatchId = entry.Id,
            Since = baseline ? null : now - _options.RecheckWindow,
            Until = null,
            MaxPages = baseline ? _options.BaselinePages : _options.RecheckPages,
            FrontierPath = Path.Combine(FrontierDirectory(session.Paths), entry.Id + ".frontier.db"),
        };
        long inserted = 0, edited = 0, deleted = 0;
        var crawler = new Crawler(options, platforms, browser) { Warc = warc, Hosts = _hosts, Robots = _robots };
        crawler.Committed += r =>
        {
            Interlocked.Add(ref inserted, r.Inserted);
            Interlocked.Add(ref edited, r.Edited);
            Interlocked.Add(ref deleted, r.Deleted);
        };
        // A check cut short by a stop or a kill is run again whole, from the seed, not resumed: a resumed generation
        // would skip the pages the cut-short run fetched before a change (a deletion on the first page went unseen for
        // a check), and a takedown seen on a later page (Telegram's ?before=N) would never be matched by the first
        // page answering again (the channel back).
        if (File.Exists(options.FrontierPath))
            using (var open = FrontierStore.Open(options.FrontierPath, newGeneration: false)) open.MarkFinished(true);
        var summary = await crawler.RunAsync(seeds, session, ct).ConfigureAwait(false);
        if (summary.State == CrawlJobState.Interrupted || ct.IsCancellationRequested) return WatchCheckResult.Interrupted;
        // The check ended (perhaps at its page limit, with older pages still queued): its generation is closed, so the
        // next check starts a new one from the channel's first page. One cut short above stays open and is resumed.
        using (var frontier = FrontierStore.Open(options.FrontierPath, newGeneration: false)) frontier.MarkFinished(true);
        var outcome = summary.SeedOutcomes.FirstOrDefault() ?? new SeedOutcome(entry.Seed, SeedOutcomeKind.Failed, 0, 0, "no outcome");
        return outcome.Outcome switch
        {
            SeedOutcomeKind.Archived or SeedOutcomeKind.UpToDate or SeedOutcomeKind.Pending =>
                new WatchCheckResult(WatchCheckKind.Read, outcome.Describe(), null, inserted, edited, deleted, summary.Posts),
            SeedOutcomeKind.Gone => new WatchCheckResult(WatchCheckKind.Gone, outcome.Describe(), null, inserted, edited, deleted, summary.Posts),
            _ => new WatchCheckResult(WatchCheckKind.Failed, outcome.Describe(), outcome.Describe(), inserted, edited, deleted, summary.Posts),
        };
    }

    /// <summary>The host a check of the entry talks to first (its seed's start page): checks of one host never overlap.</summary>
    public static string HostOf(PlatformRegistry platforms, WatchEntry entry)
    {
        if (!platforms.TryParseSeed(entry.Seed, out var seed, out var platform)) return entry.Seed;
        var start = platform!.Start(seed).FirstOrDefault();
        return start is null ? seed.Host : UrlCanonicalizer.HostKey(start.Url);
    }
}
