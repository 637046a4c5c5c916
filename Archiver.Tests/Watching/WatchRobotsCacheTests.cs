using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;
using Archiver.Watching;

namespace Archiver.Tests.Watching;

/// <summary>
/// Issue 17: the watcher's checks share one robots.txt cache, so a host's robots.txt is fetched once per
/// <see cref="RobotsCache.DefaultTtl"/>, not once per check (a pass over 10,000 channels of one host fetched it 10,001
/// times); a failure is asked again after <see cref="RobotsCache.DefaultFailureRetry"/>, not kept for the TTL. Real
/// checks (<see cref="WatchCrawlCheck"/>) against a <see cref="TestSite"/> on 127.0.0.1, on a clock the test moves forward.
/// </summary>
public sealed class WatchRobotsCacheTests
{
    /// <summary>The system clock moved forward by the test; its timers stay real, so the crawl's retries and timeouts run as usual.</summary>
    private sealed class MovedClock : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    private sealed class Harness : IAsyncDisposable
    {
        private readonly TempArchive _dir = new();
        private readonly PlatformRegistry _registry = new([new TestPagesPlatform()]);
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly ArchiveSession _session;
        private readonly CdxjIndex _cdxj;
        private readonly WarcWriter _warc;
        private readonly WatchCrawlCheck _check;

        public Harness()
        {
            var crawl = new CrawlOptions
            {
                DataDir = _dir.Path,
                AllowPrivate = true,
                RatePerHost = 0,
                NoMedia = true,
                MaxRetries = 1,
                RetryBaseDelay = TimeSpan.FromMilliseconds(1),
                MaxPageAttempts = 1,
                RequestTimeout = TimeSpan.FromSeconds(20),
                Time = Time,
            };
            _session = ArchiveSession.Open(_dir.Path, ct: TestContext.Current.CancellationToken);
            _cdxj = new CdxjIndex(Path.Combine(_session.Paths.Warc, "index.cdxj"));
            _warc = Crawler.OpenWarc(crawl, _session.Paths, _cdxj);
            _check = new WatchCrawlCheck(_session, _registry, crawl, _warc, browser: null);
        }

        public MovedClock Time { get; } = new();

        public WatchEntry Entry(Uri page) =>
            WatchRecords.NewEntry("testsite:" + page.AbsoluteUri, "testsite", WatchInterval.Default, null, Time.GetUtcNow().UtcDateTime, _ids);

        public Task<WatchCheckResult> CheckAsync(WatchEntry entry) => _check.CheckAsync(entry, TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _session.DisposeAsync();
            _warc.Dispose();
            _cdxj.Dispose();
            _dir.Dispose();
        }
    }

    private static void AssertRead(WatchCheckResult result) =>
        Assert.True(result.Kind == WatchCheckKind.Read, $"{result.Kind}: {result.Outcome}");

    [Fact]
    public async Task Checks_of_one_host_within_the_ttl_fetch_its_robots_txt_once()
    {
        await using var site = await TestSite.StartAsync(pages: 1, postsPerPage: 1);
        await using var watch = new Harness();
        var page = watch.Entry(site.Url("pages/0.html"));
        var channel = watch.Entry(site.Url("channel.html"));

        AssertRead(await watch.CheckAsync(page));
        watch.Time.Advance(TimeSpan.FromMinutes(20));
        AssertRead(await watch.CheckAsync(channel));
        watch.Time.Advance(RobotsCache.DefaultTtl - TimeSpan.FromMinutes(21));
        AssertRead(await watch.CheckAsync(page));

        Assert.Equal(1, site.Count("/robots.txt"));
        Assert.Equal(2, site.Count("/pages/0.html"));
        Assert.Equal(1, site.Count("/channel.html"));
    }

    [Fact]
    public async Task After_the_ttl_robots_txt_is_fetched_again_and_a_change_is_obeyed()
    {
        await using var site = await TestSite.StartAsync(pages: 1, postsPerPage: 1);
        await using var watch = new Harness();
        var entry = watch.Entry(site.Url("pages/0.html"));
        AssertRead(await watch.CheckAsync(entry));

        // The site shuts us out: within the TTL the rules fetched before still hold (what caching means) ...
        site.Robots = "User-agent: *\nDisallow: /pages/\n";
        watch.Time.Advance(RobotsCache.DefaultTtl - TimeSpan.FromSeconds(1));
        AssertRead(await watch.CheckAsync(entry));
        Assert.Equal(1, site.Count("/robots.txt"));

        // ... and once they are older than the TTL, robots.txt is asked again and the new rules are obeyed.
        watch.Time.Advance(TimeSpan.FromSeconds(2));
        var refused = await watch.CheckAsync(entry);

        Assert.Equal(2, site.Count("/robots.txt"));
        Assert.Equal(WatchCheckKind.Failed, refused.Kind);
        Assert.Contains("robots", refused.Outcome, StringComparison.Ordinal);
        Assert.Equal(2, site.Count("/pages/0.html"));
    }

    [Fact]
    public async Task A_robots_txt_failure_is_asked_again_after_the_short_retry_time_not_kept_for_the_ttl()
    {
        await using var site = await TestSite.StartAsync(pages: 1, postsPerPage: 1);
        await using var watch = new Harness();
        var entry = watch.Entry(site.Url("pages/0.html"));
        site.RobotsStatus = 503;

        // A server error means stay away (RFC 9309): the check is refused, and so is the next one for a few minutes
        // without asking the failing host again.
        var first = await watch.CheckAsync(entry);
        Assert.Equal(WatchCheckKind.Failed, first.Kind);
        Assert.Contains("HTTP 503", first.Outcome, StringComparison.Ordinal);
        var asked = site.Count("/robots.txt"); // the fetch and its retry
        watch.Time.Advance(RobotsCache.DefaultFailureRetry - TimeSpan.FromSeconds(1));
        Assert.Equal(WatchCheckKind.Failed, (await watch.CheckAsync(entry)).Kind);
        Assert.Equal(asked, site.Count("/robots.txt"));

        // The host recovered: after the retry time (far short of the TTL) robots.txt is asked again and the check reads.
        site.RobotsStatus = 200;
        watch.Time.Advance(TimeSpan.FromSeconds(2));
        AssertRead(await watch.CheckAsync(entry));

        Assert.Equal(asked + 1, site.Count("/robots.txt"));
        Assert.Equal(1, site.Count("/pages/0.html"));
        Assert.True(RobotsCache.DefaultFailureRetry < RobotsCache.DefaultTtl);
    }

    [Fact]
    public async Task Concurrent_checks_of_one_host_fetch_its_robots_txt_once()
    {
        await using var site = await TestSite.StartAsync(pages: 1, postsPerPage: 1);
        // Slow enough that every check asks for robots.txt while the first fetch is still under way.
        site.RobotsDelay = TimeSpan.FromMilliseconds(800);
        await using var watch = new Harness();
        var entries = new[] { "pages/0.html", "channel.html", "pages/0.html?b", "pages/0.html?c" }.Select(p => watch.Entry(site.Url(p))).ToList();

        var results = await Task.WhenAll(entries.Select(watch.CheckAsync));

        Assert.All(results, AssertRead);
        Assert.Equal(1, site.Count("/robots.txt"));
    }
}
