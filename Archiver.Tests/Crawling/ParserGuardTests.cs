using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;

namespace Archiver.Tests.Crawling;

/// <summary>The one guard between the platforms' parsers and their callers (GuardedParsing).</summary>
public sealed class ParserGuardTests
{
    /// <summary>The test site's platform, except that its parser throws on one page, as a parser bug on hostile markup would.</summary>
    private sealed class ThrowingOnOnePage(string path) : IPlatform
    {
        private readonly TestPagesPlatform _inner = new();
        public string Name => _inner.Name;
        public bool TryParseSeed(string seed, out Seed parsed) => _inner.TryParseSeed(seed, out parsed);
        public IEnumerable<CrawlRequest> Start(Seed seed) => _inner.Start(seed);
        public bool CanParse(Uri url) => _inner.CanParse(url);

        public ParseResult Parse(FetchedPage page) =>
            page.Url.AbsolutePath == path ? throw new InvalidDataException("element nesting the parser never expected") : _inner.Parse(page);
    }

    [Fact]
    public void A_parser_that_throws_gives_a_problem_naming_the_platform_the_page_and_the_exception()
    {
        var page = new FetchedPage { Url = new Uri("http://127.0.0.1:9/pages/3.html"), Status = 200, Body = "<p>x</p>"u8.ToArray() };

        var result = new ThrowingOnOnePage("/pages/3.html").ParseGuarded(page);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("testsite parser failed on this page: InvalidDataException: element nesting the parser never expected", problem.Reason);
        Assert.Equal(page.Url.AbsoluteUri, problem.Location);
        Assert.Empty(result.Posts);
        Assert.True(result.Unreadable);
    }

    [Fact]
    public async Task A_crawl_whose_parser_throws_on_one_page_fails_that_page_and_stores_every_other()
    {
        await using var site = await TestSite.StartAsync(pages: 6, postsPerPage: 2);
        using var archive = new TempArchive();
        var registry = new PlatformRegistry([new ThrowingOnOnePage("/pages/3.html")]);
        var options = new CrawlOptions { DataDir = archive.Path, AllowPrivate = true, RatePerHost = 0, RetryBaseDelay = TimeSpan.FromMilliseconds(20) };

        var summary = await new Crawler(options, registry)
            .RunAsync(Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("pages/0.html")]), TestContext.Current.CancellationToken);

        var failure = Assert.Single(summary.Failures);
        Assert.Equal(site.Url("pages/3.html").AbsoluteUri, failure.Url);
        Assert.Contains("testsite parser failed on this page: InvalidDataException", failure.Reason, StringComparison.Ordinal);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var stored = store.ScanPosts().Select(p => p.Post.NativeId).Order().ToList();
        Assert.Equal(new[] { 0, 1, 2, 4, 5 }.SelectMany(n => TestSite.PostIds(n, 2)).Order(), stored);
    }
}
