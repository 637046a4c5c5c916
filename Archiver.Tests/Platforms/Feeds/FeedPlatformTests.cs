using Archiver.Platforms;
using Archiver.Platforms.Feeds;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Feeds;

public sealed class FeedPlatformTests
{
    [Theory]
    [InlineData("feed:https://example.com/rss.xml", "https://example.com/rss.xml")]
    [InlineData("rss:http://127.0.0.1:5123/feed", "http://127.0.0.1:5123/feed")]
    [InlineData("atom:https://example.com/atom", "https://example.com/atom")]
    [InlineData("feed://example.com/rss", "http://example.com/rss")]
    public void Seeds_name_the_feed_url(string seed, string url)
    {
        var platform = new FeedPlatform();

        Assert.True(platform.TryParseSeed(seed, out var parsed));
        var request = Assert.Single(platform.Start(parsed));

        Assert.Equal(("feed", "feed", url), (parsed.Platform, parsed.Kind, request.Url.AbsoluteUri));
    }

    [Theory]
    [InlineData("feed:not a url")]
    [InlineData("rss:ftp://example.com/x")]
    [InlineData("telegram:durov")]
    public void Other_seeds_are_not_feeds(string seed) => Assert.False(new FeedPlatform().TryParseSeed(seed, out _));

    [Theory]
    [InlineData("Sat, 07 Sep 2002 00:00:01 GMT", "2002-09-07T00:00:01")]
    [InlineData("Tue, 10 Jun 2003 04:00:00 -0400", "2003-06-10T08:00:00")]
    [InlineData("10 Jun 03 04:00 EDT", "2003-06-10T08:00:00")]
    [InlineData("2003-12-31T10:14:55-08:00", "2003-12-31T18:14:55")]
    [InlineData("2003-12-31T10:14:55.25Z", "2003-12-31T10:14:55.25")]
    [InlineData("2003-12-31", "2003-12-31T00:00:00")]
    [InlineData("20031231T101455Z", "2003-12-31T10:14:55")]
    public void Dates_in_feed_forms_become_utc(string text, string utc)
    {
        var parsed = FeedDates.Parse(text);

        Assert.Equal(DateTime.SpecifyKind(DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc), parsed);
        Assert.Equal(DateTimeKind.Utc, parsed!.Value.Kind);
    }

    [Fact]
    public void A_broken_json_feed_keeps_its_complete_items()
    {
        var json = Fixtures.Text("feeds/feedjira_real/json_feed.json");
        var cut = json[..(json.Length * 2 / 3)];

        var feed = JsonFeedReader.Read(cut, new Uri("https://inessential.com/feed.json"))!;

        Assert.Equal("inessential.com", feed.Title);
        Assert.InRange(feed.Entries.Count, 5, 19);
        Assert.Equal("http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi", feed.Entries[0].Id);
        Assert.Contains(feed.Problems, p => p.StartsWith("ill-formed JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Non_feeds_and_errors_are_reported()
    {
        var platform = new FeedPlatform();

        var html = platform.Parse(TestPages.Page("https://example.com/feed", "<html><body>hi</body></html>"));
        var gone = platform.Parse(new FetchedPage { Url = new Uri("https://example.com/feed"), Status = 410, Body = Array.Empty<byte>() });

        Assert.Equal("not a feed: no rss, RDF, feed or JSON Feed document", Assert.Single(html.Problems).Reason);
        Assert.Equal(("https://example.com/feed", 410), (Assert.Single(gone.Gone).Key, gone.Gone[0].Status));
    }

    [Fact]
    public void Hostile_feeds_never_throw_and_say_what_they_could_not_read()
    {
        var seeds = new[] { "feedjira_real/InvalidDateFormat.xml", "feedjira_real/AtomWithITunesInCDATA.xml", "feedparser/json/example.json", "feedparser/wellformed/base/entry_content_xml_base.xml",
                "chardet_real_feeds/KOI8-R__aif.ru.health.xml", "feedjira_real/itunes.xml", "dotnet_syndication/RssDisjointItems.xml" }
            .Where(f => File.Exists(Fixtures.Path($"feeds/{f}"))).Select(f => Fixtures.Bytes($"feeds/{f}")).ToList();
        var platform = new FeedPlatform();
        var count = 0;
        foreach (var bytes in TestPages.Mutants(seeds, 1000, seed: 99))
        {
            var result = platform.Parse(TestPages.Page("https://example.com/feed.xml", bytes, "application/xml"));
            Assert.True(result.Posts.Count > 0 || result.Problems.Count > 0 || result.Authors.Count == 1);
            count++;
        }
        Assert.Equal(1000, count);
    }
}
