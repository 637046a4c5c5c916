using System.Text;
using Archiver.Platforms.Feeds;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Feeds;

/// <summary>
/// Issue 14: a feed item's title is part of what is searched (for link feeds such as Hacker News the title is the
/// post), and pubDates written with French, German or Russian day and month names are read; a date that cannot be
/// read is said so, not silently dropped.
/// </summary>
public sealed class FeedTitleAndDateTests
{
    // Real pubDates of https://nonobstant.cafe/podcast/rss/ as quoted in kensanata/planet-jupiter t/french.t
    // (commit cc4b1a2226f8d6360dcb42dc3ed2bc36c97c4828, AGPL-3.0; see RealFiles/SOURCES.md).
    [Theory]
    [InlineData("mar., 06 avr. 2021 07:38:50 +0200", "2021-04-06T05:38:50Z")]
    [InlineData("mar., 30 mars 2021 14:56:35 +0200", "2021-03-30T12:56:35Z")]
    [InlineData("lun., 22 févr. 2021 21:17:57 +0100", "2021-02-22T20:17:57Z")]
    [InlineData("mer., 27 janv. 2021 17:07:17 +0100", "2021-01-27T16:07:17Z")]
    [InlineData("mer., 30 déc. 2020 09:02:22 +0100", "2020-12-30T08:02:22Z")]
    [InlineData("mer., 30 sept. 2020 14:18:02 +0200", "2020-09-30T12:18:02Z")]
    [InlineData("lun., 31 août 2020 21:07:18 +0200", "2020-08-31T19:07:18Z")]
    [InlineData("mer., 29 juil. 2020 14:56:54 +0200", "2020-07-29T12:56:54Z")]
    [InlineData("dim., 28 juin 2020 14:15:52 +0200", "2020-06-28T12:15:52Z")]
    [InlineData("dim., 24 mai 2020 15:41:37 +0200", "2020-05-24T13:41:37Z")]
    [InlineData("mar., 05 janv. 2021 10:00:00 +0100", "2021-01-05T09:00:00Z")]
    // German (the form of a commented example in public RSS scripts: "Di, 26. Nov. 2013, 12:15:12 GMT"), Russian, Spanish.
    [InlineData("Di, 05 Jan 2021 10:00:00 +0100", "2021-01-05T09:00:00Z")]
    [InlineData("Di, 26. Nov. 2013, 12:15:12 GMT", "2013-11-26T12:15:12Z")]
    [InlineData("Do, 04 März 2021 08:30:00 MEZ", "2021-03-04T07:30:00Z")]
    [InlineData("Вт, 05 янв 2021 10:00:00 +0300", "2021-01-05T07:00:00Z")]
    [InlineData("пт, 14 мая 2021 18:00:00 +0300", "2021-05-14T15:00:00Z")]
    [InlineData("mié, 12 oct 2022 09:15:00 +0200", "2022-10-12T07:15:00Z")]
    public void Dates_with_non_english_day_and_month_names_are_read(string text, string expected) =>
        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal), FeedDates.Parse(text));

    [Fact]
    public void An_item_whose_date_cannot_be_read_keeps_the_text_and_the_feed_reports_it()
    {
        const string rss = """
            <rss version="2.0"><channel><title>t</title>
            <item><guid>a</guid><title>One</title><description>x</description><pubDate>mar., 05 janv. 2021 10:00:00 +0100</pubDate></item>
            <item><guid>b</guid><title>Two</title><description>y</description><pubDate>le jour des morts</pubDate></item>
            </channel></rss>
            """;
        var result = new FeedPlatform().Parse(TestPages.Page("https://example.org/feed.xml", rss, "application/rss+xml"));

        Assert.Equal(new DateTime(2021, 1, 5, 9, 0, 0, DateTimeKind.Utc), result.Posts[0].CreatedAt);
        Assert.Null(result.Posts[1].CreatedAt);
        Assert.Equal("le jour des morts", result.Posts[1].Extra["date_unparsed"]);
        Assert.Contains(result.Problems, p => p.Reason.Contains("unreadable date 'le jour des morts'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_crawled_feed_is_found_by_words_of_its_item_titles()
    {
        // Hacker News' real feed: each item's description is only a "Comments" link; the title is the post.
        using var archive = new TempArchive();
        await using var site = await StaticPages.StartAsync();
        var url = site.Add("/hn.xml", Fixtures.Bytes("feeds/feedjira_real/RSSWithComments.xml"), "application/rss+xml; charset=utf-8");

        var crawl = await Support.Cli.RunAsync("--data", archive.Path, "crawl", "feed:" + url, "--allow-private", "--no-media", "--rate", "0");
        Assert.True(crawl.ExitCode == 0, crawl.Error + crawl.Out);
        var search = await Support.Cli.RunAsync("search", "--data", archive.Path, "--json", "Kolmogorov");

        Assert.True(search.ExitCode == 0, search.Error);
        Assert.Contains("researchers-identify-master-problem-underlying-all-cryptography", search.Out);
        using var store = ArchiveStore.Open(archive.Path, readOnly: true);
        var post = store.ScanPosts().Single(p => p.Post.Url!.Contains("quantamagazine", StringComparison.Ordinal)).Post;
        Assert.Equal("The existence of true one-way functions depends on Kolmogorov complexity\n\nComments", post.Text);
        Assert.Equal("The existence of true one-way functions depends on Kolmogorov complexity", post.Extra["title"]);
    }

    [Fact]
    public void A_title_that_the_body_already_begins_with_is_not_repeated()
    {
        const string rss = """
            <rss version="2.0"><channel><title>t</title>
            <item><guid>a</guid><title>Breaking: the bridge is closed…</title><description>Breaking: the bridge is closed until Monday.</description></item>
            <item><guid>b</guid><description>No title here</description></item>
            </channel></rss>
            """;
        var posts = new FeedPlatform().Parse(TestPages.Page("https://example.org/feed.xml", rss, "application/rss+xml")).Posts;

        Assert.Equal("Breaking: the bridge is closed until Monday.", posts[0].Text);
        Assert.Equal("No title here", posts[1].Text);
    }

    [Fact]
    public void Feed_images_without_a_usable_type_are_photos_and_videos_by_medium_or_extension()
    {
        const string rss = """
            <rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>t</title>
            <item><guid>a</guid><title>One</title>
              <enclosure url="https://cdn.example.org/a.jpg" length="0" type="" />
              <enclosure url="https://cdn.example.org/b.png" length="0" type="application/octet-stream" />
              <media:content url="https://cdn.example.org/c" medium="image" />
              <media:content url="https://cdn.example.org/d.mp4" />
              <enclosure url="https://cdn.example.org/e.pdf" length="10" type="application/pdf" />
            </item></channel></rss>
            """;
        var post = Assert.Single(new FeedPlatform().Parse(TestPages.Page("https://example.org/feed.xml", rss, "application/rss+xml")).Posts);

        Assert.Equal(["photo", "photo", "photo", "video", "document"], post.Media.Select(m => m.Kind));
        Assert.Equal([null, null, null, null, "application/pdf"], post.Media.Select(m => m.Mime));
    }
}
