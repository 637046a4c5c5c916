using System.Text;
using Archiver.Capturing;
using Archiver.Crawling;
using Microsoft.Extensions.Time.Testing;

namespace Archiver.Tests.Crawling;

/// <summary>
/// robots.txt answers shared by crawls (<see cref="RobotsCache"/>, issue 17), through the <see cref="RobotsPolicy"/> of
/// each crawl, on a fake clock: kept for the TTL, failures for the short retry time, one fetch at a time per origin,
/// bounded; and a crawl without a shared cache fetches robots.txt once for itself, as before.
/// </summary>
public sealed class RobotsCacheTests
{
    private static readonly Uri Page = new("http://a.example/pages/1.html");
    private static readonly Uri Private = new("http://a.example/private/1.html");

    /// <summary>The robots.txt of every origin a test asks about, counting fetches; <see cref="Answer"/> can be changed between them.</summary>
    private sealed class Site
    {
        private int _fetches;

        public int Fetches => Volatile.Read(ref _fetches);
        public Func<Uri, FetchResponse> Answer { get; set; } = url => Response(url, 200, "User-agent: *\nDisallow: /private/\n");
        /// <summary>Awaited before answering (a slow robots.txt); null: at once.</summary>
        public Task? Hold { get; set; }

        public async Task<FetchResponse> FetchAsync(Uri url, CancellationToken ct)
        {
            Interlocked.Increment(ref _fetches);
            if (Hold is { } hold) await hold.WaitAsync(ct);
            return Answer(url);
        }
    }

    private static FetchResponse Response(Uri url, int status, string body = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return new FetchResponse
        {
            Url = url,
            Status = status,
            RequestHeaders = new WarcHeaders(),
            ResponseHeaders = new WarcHeaders(),
            RawBody = bytes,
            Body = bytes,
            Date = DateTimeOffset.UtcNow,
        };
    }

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>One crawl's policy (a watch check's), with its own scheduler, over the shared cache.</summary>
    private static RobotsPolicy Crawl(Site site, RobotsCache? cache, HostScheduler? scheduler = null) =>
        new(site.FetchAsync, scheduler ?? new HostScheduler(2, 0, cache?.Time ?? TimeProvider.System), CrawlOptions.DefaultUserAgent, ignore: false, cache);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Without_a_shared_cache_each_crawl_fetches_robots_txt_once_for_itself()
    {
        var site = new Site();
        var first = Crawl(site, cache: null);
        Assert.True(await first.IsAllowedAsync(Page, Ct));
        Assert.False(await first.IsAllowedAsync(Private, Ct));
        Assert.Equal(1, site.Fetches);

        Assert.True(await Crawl(site, cache: null).IsAllowedAsync(Page, Ct));
        Assert.Equal(2, site.Fetches);
    }

    [Fact]
    public async Task Crawls_sharing_a_cache_fetch_robots_txt_once_within_the_ttl_and_obey_a_change_after_it()
    {
        var site = new Site();
        var clock = Clock();
        var cache = new RobotsCache(clock);

        Assert.True(await Crawl(site, cache).IsAllowedAsync(Page, Ct));
        clock.Advance(RobotsCache.DefaultTtl - TimeSpan.FromSeconds(1));
        site.Answer = url => Response(url, 200, "User-agent: *\nDisallow: /\n");
        var second = Crawl(site, cache);
        Assert.True(await second.IsAllowedAsync(Page, Ct));
        var (allowed, reason) = await second.CheckAsync(Private, Ct);
        Assert.False(allowed);
        // A refusal on an answer of an earlier crawl says when that answer was fetched.
        Assert.Equal("disallowed by http://a.example/robots.txt; as fetched at 2026-03-01T12:00:00Z", reason);
        Assert.Equal(1, site.Fetches);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await Crawl(site, cache).IsAllowedAsync(Page, Ct));
        Assert.Equal(2, site.Fetches);
        Assert.True(RobotsCache.DefaultTtl <= TimeSpan.FromHours(24), "RFC 9309: a cached robots.txt SHOULD NOT be used for more than 24 hours");
    }

    [Fact]
    public async Task A_crawl_asks_the_cache_each_time_so_a_long_one_sees_the_ttl_expire_too()
    {
        var site = new Site();
        var clock = Clock();
        var crawl = Crawl(site, new RobotsCache(clock));

        Assert.True(await crawl.IsAllowedAsync(Page, Ct));
        site.Answer = url => Response(url, 200, "User-agent: *\nDisallow: /\n");
        clock.Advance(RobotsCache.DefaultTtl);

        Assert.False(await crawl.IsAllowedAsync(Page, Ct));
        Assert.Equal(2, site.Fetches);
    }

    public static TheoryData<string> Failures => ["503", "429", "unreachable"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_failure_is_asked_again_after_the_short_retry_time_not_kept_for_the_ttl(string failure)
    {
        var site = new Site();
        var clock = Clock();
        var cache = new RobotsCache(clock);
        site.Answer = url => failure switch
        {
            "unreachable" => throw new FetchFailedException(url, "connection refused") { Kind = FetchFailureKind.Unreachable },
            _ => Response(url, int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture)),
        };
        async Task<string> Ask(RobotsPolicy crawl)
        {
            try
            {
                return (await crawl.CheckAsync(Page, Ct)).Allowed ? "allowed" : "refused";
            }
            catch (FetchFailedException e)
            {
                Assert.Equal(FetchFailureKind.Unreachable, e.Kind);
                return "unreachable";
            }
        }

        // As before: a 5xx means stay away (RFC 9309), a 4xx (429 too) no rules, no answer an unreachable host.
        var verdict = failure switch { "503" => "refused", "429" => "allowed", _ => "unreachable" };
        Assert.Equal(verdict, await Ask(Crawl(site, cache)));
        clock.Advance(RobotsCache.DefaultFailureRetry - TimeSpan.FromSeconds(1));
        Assert.Equal(verdict, await Ask(Crawl(site, cache)));
        Assert.Equal(1, site.Fetches);

        site.Answer = url => Response(url, 200, "User-agent: *\nDisallow: /private/\n");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("allowed", await Ask(Crawl(site, cache)));
        Assert.Equal(2, site.Fetches);
        Assert.True(RobotsCache.DefaultFailureRetry < RobotsCache.DefaultTtl);
    }

    [Fact]
    public async Task A_404_is_an_answer_kept_for_the_ttl()
    {
        var site = new Site { Answer = url => Response(url, 404) };
        var clock = Clock();
        var cache = new RobotsCache(clock);

        Assert.True(await Crawl(site, cache).IsAllowedAsync(Private, Ct));
        clock.Advance(RobotsCache.DefaultTtl - TimeSpan.FromSeconds(1));
        Assert.True(await Crawl(site, cache).IsAllowedAsync(Private, Ct));

        Assert.Equal(1, site.Fetches);
    }

    [Fact]
    public async Task Crawls_asking_at_once_wait_for_one_fetch()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var site = new Site { Hold = release.Task };
        var cache = new RobotsCache(Clock());

        var asking = Enumerable.Range(0, 8).Select(_ => Task.Run(() => Crawl(site, cache).CheckAsync(Page, Ct), Ct)).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (site.Fetches == 0 && DateTime.UtcNow < deadline) await Task.Delay(10, Ct);
        // Give every asker time to arrive while the one fetch is held.
        await Task.Delay(200, Ct);
        Assert.DoesNotContain(asking, t => t.IsCompleted);
        release.SetResult();

        Assert.All(await Task.WhenAll(asking), r => Assert.True(r.Allowed));
        Assert.Equal(1, site.Fetches);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task A_fetch_whose_crawl_stopped_is_not_kept_and_a_crawl_waiting_for_it_fetches_itself()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var site = new Site { Hold = release.Task };
        var cache = new RobotsCache(Clock());
        using var stopFirst = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var first = Crawl(site, cache).CheckAsync(Page, stopFirst.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (site.Fetches == 0 && DateTime.UtcNow < deadline) await Task.Delay(10, Ct);
        var second = Crawl(site, cache).CheckAsync(Page, Ct);
        await stopFirst.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        // The second crawl's own fetch, held like the first until released.
        while (site.Fetches < 2 && DateTime.UtcNow < deadline) await Task.Delay(10, Ct);
        release.SetResult();
        Assert.True((await second).Allowed);
        Assert.Equal(2, site.Fetches);
    }

    [Fact]
    public async Task The_least_recently_asked_origin_is_dropped_when_the_cache_is_full()
    {
        var site = new Site();
        var cache = new RobotsCache(Clock(), new RobotsCacheOptions { Capacity = 2 });
        var crawl = Crawl(site, cache);
        Uri On(string host) => new($"http://{host}/pages/1.html");

        foreach (var host in new[] { "a.example", "b.example", "a.example", "c.example" })
            Assert.True(await crawl.IsAllowedAsync(On(host), Ct));
        Assert.Equal(3, site.Fetches);
        Assert.Equal(2, cache.Count);

        Assert.True(await crawl.IsAllowedAsync(On("a.example"), Ct)); // kept: asked after b
        Assert.Equal(3, site.Fetches);
        Assert.True(await crawl.IsAllowedAsync(On("b.example"), Ct)); // dropped for c: fetched again
        Assert.Equal(4, site.Fetches);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task A_crawl_on_a_cached_answer_keeps_its_crawl_delay()
    {
        var site = new Site { Answer = url => Response(url, 200, "User-agent: *\nCrawl-delay: 5\n") };
        var clock = Clock();
        var cache = new RobotsCache(clock);
        Assert.True(await Crawl(site, cache).IsAllowedAsync(Page, Ct));

        // A later crawl with a schedule of its own (no rate) gets the Crawl-delay of the answer it did not fetch.
        var hosts = new HostScheduler(2, 0, clock);
        Assert.True(await Crawl(site, cache, hosts).IsAllowedAsync(Page, Ct));
        Assert.Equal(1, site.Fetches);
        using (await hosts.AcquireAsync("a.example", Ct))
        {
        }
        var next = hosts.AcquireAsync("a.example", Ct);
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));
        using (await next.WaitAsync(TimeSpan.FromSeconds(10), Ct))
        {
        }
    }
}
