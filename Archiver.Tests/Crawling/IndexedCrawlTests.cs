using Archiver.Crawling;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Search;
using Archiver.Storage;
using Archiver.Tests.Crawling.Support;
using Archiver.Tests.Support;
using static Archiver.Tests.Support.IndexCounts;

namespace Archiver.Tests.Crawling;

public sealed class IndexedCrawlTests
{
    private static CrawlOptions Options(TempArchive archive) => new()
    {
        DataDir = archive.Path,
        AllowPrivate = true,
        Concurrency = 4,
        PerHost = 4,
        RatePerHost = 0,
        NoMedia = true,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };


    [Fact]
    public async Task The_index_follows_the_crawl_and_ends_committed_with_every_stored_post_and_later_deletions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var site = await TestSite.StartAsync(pages: 30, postsPerPage: 4);
        using var archive = new TempArchive();
        var registry = new PlatformRegistry([new TestPagesPlatform()]);
        var seeds = Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("pages/0.html"), "testsite:" + site.Url("channel.html")]);

        var summary = await new Crawler(Options(archive), registry) { IndexWhileCrawling = true }.RunAsync(seeds, ct);

        Assert.Equal(CrawlJobState.Finished, summary.State);
        Assert.True(summary.StageSeconds.ContainsKey("index"));
        using (var store = ArchiveStore.Open(archive.Path, readOnly: true))
        using (var index = PostIndex.OpenReadOnly(store.Paths.Index))
        {
            // Read-only: the index's own last commit, nothing caught up on open.
            Assert.Equal(124, store.Counters.Posts);
            Assert.Equal(124, index.DocumentCount);
            Assert.Equal(store.Sequence, index.StoreSequence);
            Assert.Equal(120, Count(index, "text"));
            Assert.Equal(4, Count(index, "channel"));
            Assert.Equal(1, Count(index, "\"post 17-2\""));
        }

        site.ChannelPosts = [1, 2, 4];
        var recheck = await new Crawler(Options(archive) with { Recheck = true }, registry) { IndexWhileCrawling = true }
            .RunAsync(Crawler.ResolveSeeds(registry, ["testsite:" + site.Url("channel.html")]), ct);

        Assert.Equal(1, recheck.Deleted);
        using var after = ArchiveStore.Open(archive.Path, readOnly: true);
        using var followed = PostIndex.OpenReadOnly(after.Paths.Index);
        Assert.Equal(after.Sequence, followed.StoreSequence);
        Assert.Equal(124, followed.DocumentCount);
        Assert.Equal(1, Count(followed, "channel is:deleted"));
        Assert.Equal(1, Count(followed, "\"channel post 3\" is:deleted"));
    }
}
