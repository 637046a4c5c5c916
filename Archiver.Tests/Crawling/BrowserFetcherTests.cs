using Archiver.Capturing;
using Archiver.Crawling;
using Archiver.Platforms;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;

namespace Archiver.Tests.Crawling;

public sealed class BrowserFetcherTests
{
    [Fact]
    public async Task Archives_what_scripts_render_and_captures_the_dom_and_the_network_responses()
    {
        var options = new CrawlOptions { DataDir = "", AllowPrivate = true, RatePerHost = 0, NoMedia = true };
        await using var browser = BrowserFetcher.Create(options);
        Assert.SkipWhen(browser.Unavailable is not null, browser.Unavailable ?? "");
        await using var site = await TestSite.StartAsync();
        using var archive = new TempArchive();
        var registry = new PlatformRegistry([new TestPagesPlatform()]);

        var summary = await new Crawler(options with { DataDir = archive.Path }, registry, browser)
            .RunAsync(Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("js.html")]), TestContext.Current.CancellationToken);

        Assert.True(summary.Errors == 0, string.Join("; ", summary.Failures.Select(f => f.Reason)));
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        Assert.Equal("Rendered by script", store.GetPost($"testsite:{site.Root.Authority}:js-1")!.Post.Text);
        var records = Directory.GetFiles(Path.Combine(archive.Path, "warc"), "*.warc.gz").SelectMany(f => WarcReader.Read(f)).ToList();
        var dom = Assert.Single(records, r => r.Type == "conversion");
        Assert.Contains("Rendered by script", System.Text.Encoding.UTF8.GetString(dom.Block.Span));
        Assert.Equal(records.Single(r => r.Type == "response" && r.TargetUri!.EndsWith("/js.html", StringComparison.Ordinal)).RecordId, dom.Headers["WARC-Refers-To"]);
        Assert.Contains(records, r => r.Type == "response" && r.TargetUri!.EndsWith("/data.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Skips_browser_pages_with_a_clear_note_when_chromium_is_missing()
    {
        var previous = Environment.GetEnvironmentVariable("ARCHIVER_CHROMIUM");
        Environment.SetEnvironmentVariable("ARCHIVER_CHROMIUM", "/nonexistent/chromium");
        try
        {
            await using var site = await TestSite.StartAsync();
            using var archive = new TempArchive();
            var options = new CrawlOptions { DataDir = archive.Path, AllowPrivate = true, RatePerHost = 0 };
            await using var browser = BrowserFetcher.Create(options);
            var registry = new PlatformRegistry([new TestPagesPlatform()]);

            var summary = await new Crawler(options, registry, browser)
                .RunAsync(Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("js.html")]), TestContext.Current.CancellationToken);

            Assert.Equal(1, summary.SkippedBrowserPages);
            Assert.Equal(0, summary.Pages);
            Assert.Contains("Chromium not found at /nonexistent/chromium", summary.BrowserNote);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ARCHIVER_CHROMIUM", previous);
        }
    }
}
