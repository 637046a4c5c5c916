using System.Net;
using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;

namespace Archiver.Tests.Crawling;

public sealed class CrawlerTests
{
    private static CrawlOptions Options(TempArchive archive, bool allowPrivate = true) => new()
    {
        DataDir = archive.Path,
        AllowPrivate = allowPrivate,
        Concurrency = 4,
        PerHost = 4,
        RatePerHost = 0,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<CrawlSummary> CrawlAsync(CrawlOptions options, params string[] seeds)
    {
        var registry = new PlatformRegistry([new TestPagesPlatform()]);
        return await new Crawler(options, registry).RunAsync(Crawler.ResolveSeeds(registry, seeds), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Archives_every_post_of_every_page_once_with_its_warc_capture()
    {
        await using var site = await TestSite.StartAsync(pages: 15, postsPerPage: 3);
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive), "testsite:" + site.Url("pages/0.html"));

        Assert.Equal(CrawlJobState.Finished, summary.State);
        Assert.Equal(15, summary.Pages);
        Assert.Equal(0, summary.Errors);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var posts = store.ScanPosts().ToList();
        Assert.Equal(Enumerable.Range(0, 15).SelectMany(n => TestSite.PostIds(n, 3)).Order(), posts.Select(p => p.Post.NativeId).Order());
        var post = posts.Single(p => p.Post.NativeId == "7-1");
        Assert.Equal("Post 7-1 text", post.Post.Text);
        var capture = post.Capture!;
        Assert.Equal(site.Url("pages/7.html").AbsoluteUri, capture.Url);
        var record = WarcReader.Read(Path.Combine(archive.Path, "warc", capture.WarcFile!)).Single(r => r.Offset == capture.WarcOffset);
        Assert.Equal("response", record.Type);
        Assert.Equal(capture.Url, record.TargetUri);
        Assert.Equal(capture.PayloadSha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(record.Payload.Span)));
        Assert.Equal(15, File.ReadAllLines(Path.Combine(archive.Path, "warc", "index.cdxj")).Count(l => l.Contains("/pages/")));
        Assert.Equal(1, site.Count("/pages/7.html"));
    }

    [Fact]
    public async Task Downloads_each_image_once_and_links_it_to_its_posts_by_sha256()
    {
        await using var site = await TestSite.StartAsync(pages: 4, postsPerPage: 2);
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive), "testsite:" + site.Url("pages/0.html"));

        Assert.Equal(2, summary.Media); // images of even and odd pages have the same bytes
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("PNG-1"u8));
        Assert.Equal(sha, store.GetPost("testsite:" + site.Root.Authority + ":3-0")!.Post.Media.Single().Sha256);
        Assert.Equal($"media/{sha[..2]}/{sha[2..4]}/{sha}.png", store.GetMedia(sha)!.LocalPath);
        Assert.True(File.Exists(Path.Combine(archive.Path, store.GetMedia(sha)!.LocalPath)));
        Assert.Equal(1, site.Count("/img/3.png"));
        store.Dispose();

        var recheck = await CrawlAsync(Options(archive) with { Recheck = true }, "testsite:" + site.Url("pages/0.html"));
        Assert.Equal(4, recheck.Pages);
        Assert.Equal(1, site.Count("/img/3.png")); // known from the earlier run: not downloaded again
    }

    [Fact]
    public async Task Refuses_a_loopback_seed_without_allow_private()
    {
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive, allowPrivate: false) with { IgnoreRobots = true }, "testsite:" + site.Url("pages/0.html"));

        Assert.Equal(0, summary.Pages);
        var failure = Assert.Single(summary.Failures);
        Assert.Contains("--allow-private", failure.Reason);
        Assert.Empty(site.Requests);
    }

    [Fact]
    public async Task Refuses_a_redirect_into_a_private_address_at_connect_time()
    {
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();
        var options = Options(archive, allowPrivate: false) with { AllowedPrivateAddresses = [IPAddress.Loopback] };

        var summary = await CrawlAsync(options, "testsite:" + site.Url("to-private.html"));

        Assert.Equal(1, summary.Redirects);
        var failure = Assert.Single(summary.Failures);
        Assert.StartsWith("http://127.0.0.2:", failure.Url);
        Assert.Contains("Refused to connect to 127.0.0.2", failure.Reason);
    }

    [Fact]
    public async Task Retries_a_503_with_backoff_until_the_page_comes()
    {
        await using var site = await TestSite.StartAsync(pages: 1);
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive), "testsite:" + site.Url("flaky/0.html"));

        Assert.Equal(3, site.Count("/flaky/0.html"));
        Assert.Equal(2, summary.Retries);
        Assert.Equal(0, summary.Errors);
        Assert.Equal(1, summary.Pages);
        Assert.Equal(1, summary.Posts / 3);
    }

    [Fact]
    public async Task Waits_as_long_as_retry_after_says_on_a_429()
    {
        await using var site = await TestSite.StartAsync(pages: 1);
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive), "testsite:" + site.Url("limited.html"));

        var times = site.Requests.Where(r => r.Path == "/limited.html").Select(r => r.At).ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(950), $"waited only {(times[1] - times[0]).TotalMilliseconds} ms");
        Assert.Equal(1.0, summary.ServerWaitSeconds);
        Assert.Equal(0, summary.Errors);
    }

    [Fact]
    public async Task Does_not_fetch_what_robots_txt_disallows_unless_told_to_ignore_it()
    {
        await using var site = await TestSite.StartAsync(pages: 1);
        using var archive = new TempArchive();

        var obeyed = await CrawlAsync(Options(archive), "testsite:" + site.Url("private/a.html"));
        Assert.Equal(0, obeyed.Pages);
        Assert.Equal(1, obeyed.RobotsBlocked);
        Assert.Equal(0, site.Count("/private/a.html"));

        using var second = new TempArchive();
        var ignored = await CrawlAsync(Options(second) with { IgnoreRobots = true }, "testsite:" + site.Url("private/a.html"));
        Assert.Equal(1, ignored.Pages);
        Assert.Equal(1, site.Count("/private/a.html"));
    }

    [Fact]
    public async Task Resumes_without_refetching_finished_pages_and_rechecks_them_with_recheck()
    {
        await using var site = await TestSite.StartAsync(pages: 6, postsPerPage: 1);
        using var archive = new TempArchive();
        var seed = "testsite:" + site.Url("pages/0.html");

        var first = await CrawlAsync(Options(archive) with { MaxPages = 2 }, seed);
        var second = await CrawlAsync(Options(archive), seed);
        var third = await CrawlAsync(Options(archive), seed);
        var recheck = await CrawlAsync(Options(archive) with { Recheck = true }, seed);

        Assert.Equal(2, first.Pages);
        Assert.Equal(4, second.Pages);
        Assert.Equal(0, third.Pages);
        Assert.Equal(6, recheck.Pages);
        Assert.Equal(2, site.Count("/pages/0.html"));
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Equal(6, store.Counters.Posts);
    }

    [Fact]
    public async Task Marks_a_page_gone_when_it_answers_410()
    {
        await using var site = await TestSite.StartAsync(pages: 1);
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive), "testsite:" + site.Url("gone.html"));

        Assert.Equal(1, summary.Gone);
        Assert.Equal(0, summary.Errors);
    }

    [Fact]
    public async Task Records_a_post_missing_from_its_listing_on_recheck_as_deleted_with_the_time_seen()
    {
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();
        var seed = "testsite:" + site.Url("channel.html");
        await CrawlAsync(Options(archive) with { NoMedia = true }, seed);

        site.ChannelPosts = [1, 2, 4];
        var recheck = await CrawlAsync(Options(archive) with { NoMedia = true, Recheck = true }, seed);

        Assert.Equal(1, recheck.Deleted);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var gone = store.GetPost($"testsite:{site.Root.Authority}:3")!;
        Assert.True(gone.IsDeleted);
        Assert.Equal("missing from the listing of pages (1-4)", gone.DeletedReason);
        Assert.False(store.GetPost($"testsite:{site.Root.Authority}:4")!.IsDeleted);
        Assert.Equal(3, store.Counters.Posts - store.Counters.PostsDeleted);
    }

    [Fact]
    public async Task Gives_up_on_a_body_that_does_not_arrive_in_time_and_reports_it()
    {
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive) with { BodyTimeout = TimeSpan.FromMilliseconds(400), MaxPageAttempts = 1 }, "testsite:" + site.Url("slow.html"));

        Assert.Equal(CrawlJobState.Finished, summary.State);
        Assert.Contains("body not received within", Assert.Single(summary.Failures).Reason);
    }

    [Fact]
    public async Task Finishes_and_reports_a_host_that_is_dead()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var archive = new TempArchive();

        var summary = await CrawlAsync(Options(archive) with { IgnoreRobots = true }, $"testsite:http://127.0.0.1:{port}/pages/0.html");

        Assert.Equal(CrawlJobState.Finished, summary.State);
        Assert.Equal(0, summary.Pages);
        Assert.Equal(1, summary.Errors);
        Assert.Equal($"http://127.0.0.1:{port}/pages/0.html", Assert.Single(summary.Failures).Url);
        Assert.True(summary.Retries >= 4, $"retried {summary.Retries} times");
    }
}
