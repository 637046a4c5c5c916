using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;

namespace Archiver.Watching;

/// <summary>
/// The watcher's parts inside one archive session: the WARC writer and browser its checks share, the crawl check, and a
/// <see cref="WatchScheduler"/> per run whose checks save each entry's new schedule through the session's writer
/// (<see cref="WatchRecords.AfterCheck"/>). <c>watch run</c> builds one; <c>archiver demo</c> builds one for its two
/// passes on its own clock, so both run the same code.
/// </summary>
public sealed class WatchRun : IAsyncDisposable
{
    private readonly ArchiveSession _session;
    private readonly PlatformRegistry _registry;
    private readonly CdxjIndex _cdxj;
    private readonly WarcWriter _warc;
    private readonly IBrowserFetcher? _browser;
    private readonly WatchCrawlCheck _checker;

    private WatchRun(ArchiveSession session, PlatformRegistry registry, CdxjIndex cdxj, WarcWriter warc, IBrowserFetcher? browser, WatchCrawlCheck checker)
    {
        _session = session;
        _registry = registry;
        _cdxj = cdxj;
        _warc = warc;
        _browser = browser;
        _checker = checker;
    }

    /// <param name="crawl">The crawl options of every check (network rules, politeness; its <see cref="CrawlOptions.Time"/> dates captures and the recheck window).</param>
    public static WatchRun Open(ArchiveSession session, PlatformRegistry registry, CrawlOptions crawl, WatchCheckOptions check)
    {
        var cdxj = new CdxjIndex(Path.Combine(session.Paths.Warc, "index.cdxj"));
        WarcWriter? warc = null;
        try
        {
            warc = Crawler.OpenWarc(crawl, session.Paths, cdxj);
            var browser = BrowserFetcher.Create(crawl);
            return new WatchRun(session, registry, cdxj, warc, browser, new WatchCrawlCheck(session, registry, crawl, warc, browser, check));
        }
        catch
        {
            warc?.Dispose();
            cdxj.Dispose();
            throw;
        }
    }

    /// <summary>A scheduler over <paramref name="entries"/> on <paramref name="time"/>'s clock.</summary>
    public WatchScheduler Scheduler(IReadOnlyList<WatchEntry> entries, TimeProvider time, WatchSchedulerOptions options)
    {
        // Each entry's channel worked out once (entries added while it runs included).
        var channels = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        return new WatchScheduler(entries, e => WatchCrawlCheck.HostOf(_registry, e), _checker.CheckAsync,
            (e, r) => _session.Writer.WriteAsync(WatchRecords.AfterCheck(e, r, channels.GetOrAdd(e.Id, _ => ChannelOf(_registry, e)))), time, options,
            persist: async edit =>
            {
                await _session.Writer.WriteAsync(WatchListEdit.Batch(edit)).ConfigureAwait(false);
                WatchListEdit.DeleteFrontiers(_session.Paths, edit.Removed);
            });
    }

    /// <summary>The channel an entry's events name: its seed's value (the channel or account), else the seed as given.</summary>
    public static string ChannelOf(PlatformRegistry registry, WatchEntry e) =>
        registry.TryParseSeed(e.Seed, out var seed, out _) ? seed.Value : e.Seed;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync().ConfigureAwait(false);
        _warc.Dispose();
        _cdxj.Dispose();
    }
}
