using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Feeds;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Feeds;

/// <summary>Every captured real feed in fixtures/feeds (feedjira, chardet, dotnet), with the first item's exact values.</summary>
public sealed class RealFeedTests
{
    private static ParseResult Parse(string file, out FeedDocument feed, string? contentType = null)
    {
        var bytes = Fixtures.Bytes($"feeds/{file}");
        var url = new Uri("https://feeds.example.org/" + Path.GetFileName(file));
        feed = FeedParser.Read(bytes, contentType, url).Feed!;
        return new FeedPlatform().Parse(new FetchedPage { Url = url, Status = 200, Body = bytes, ContentType = contentType });
    }

    [Theory]
    [InlineData("feedjira_real/AmazonWebServicesBlog.xml", "atom10", 10, "Amazon Web Services Blog", "tag:typepad.com,2003:post-61484736", "http://aws.typepad.com/aws/2009/01/aws-job-architect-designer-position-in-turkey.html", "AWS Job: Architect & Designer Position in Turkey", "2009-01-16T18:21:00Z", "AWS Editor")]
    [InlineData("feedjira_real/AtomWithITunesInCDATA.xml", "atom10", 1, "Test Blog", "tag:example.com,2024:post-1", "https://example.com/post/1", "How to set up a podcast RSS feed", "2024-01-01T00:00:00Z", null)]
    [InlineData("feedjira_real/CRE.xml", "rss20", 30, "CRE: Technik, Kultur, Gesellschaft", "podlove-2015-02-13t20:15:53+00:00-28d673725224ab3", "http://feedproxy.google.com/~r/cre-podcast/~3/8l3cmSSJErA/cre207-planetarien", "CRE207 Planetarien", "2015-02-13T22:38:52Z", "Metaebene Personal Media - Tim Pritlove")]
    [InlineData("feedjira_real/DuplicateContentAtomFeed.xml", "atom10", 10, "Avian\u2019s Blog", "http://www.tablix.org/~avian/blog/archives/2014/07/down_time/", "http://www.tablix.org/~avian/blog/archives/2014/07/down_time/", "Down time", "2014-07-21T19:14:39Z", "Toma\u017e")]
    [InlineData("feedjira_real/FeedBurnerXHTML.xml", "atom10", 10, "Fantasy Baseball - RotoAuthority.com", "tag:typepad.com,2003:post-6a00d834515b9a69e201a511ad051e970c", "http://feedproxy.google.com/~r/RotoAuthorityFantasyBaseball/~3/oAyOtW4WnU4/stock-watch-aprils-finest.html", "Stock Watch: April's Finest", "2014-04-30T13:00:00Z", "Alex Steers McCrum")]
    [InlineData("feedjira_real/google_alerts_atom.xml", "atom10", 20, "Google Alert - Slack", "tag:google.com,2013:googlealerts/feed:8974135267215335962", null, "Report offers Prediction of Automotive Slack Market by Top key players like Haldex, Meritor, Bendix ...", "2019-07-10T11:53:37Z", null)]
    [InlineData("feedjira_real/GoogleDocsList.xml", "atom10", 2, "Available Documents - john.smith.example@gmail.com", "https://docs.google.com/feeds/id/document%3A12345", "https://docs.google.com/Doc?docid=12345&hl=en", "2010 Income Tax Policy", "2009-07-22T19:02:57.616Z", "Jenna Dolsom")]
    [InlineData("feedjira_real/HREFConsideredHarmful.xml", "rss10", 10, "HREF Considered Harmful", "http://www.avibryant.com/2008/09/chrome-v8-and-s.html", "http://www.avibryant.com/2008/09/chrome-v8-and-s.html", "Chrome, V8 and Strongtalk", "2008-09-02T19:50:07Z", "Avi")]
    [InlineData("feedjira_real/json_feed.json", "json", 20, "inessential.com", "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi", "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi", "James Dempsey and the Breakpoints Benefit App Camp for Girls", "2017-06-03T05:05:47Z", null)]
    [InlineData("feedjira_real/PaulDixExplainsNothingWFW.xml", "atom10", 5, "Paul Dix Explains Nothing", "tag:typepad.com,2003:post-61753462", "http://feeds.feedburner.com/~r/PaulDixExplainsNothing/~3/519925023/making-a-ruby-c-library-even-faster.html", "Making a Ruby C library even faster", "2009-01-22T15:50:22Z", "Paul Dix")]
    [InlineData("feedjira_real/RSSWithComments.xml", "rss20", 30, "Hacker News", "https://aws.amazon.com/blogs/aws/announcing-aws-lambda-function-urls-built-in-https-endpoints-for-single-function-microservices/", "https://aws.amazon.com/blogs/aws/announcing-aws-lambda-function-urls-built-in-https-endpoints-for-single-function-microservices/", "AWS Lambda Function URLs: Built-In HTTPS Endpoints for Lambda", "2022-04-06T21:07:47Z", null)]
    [InlineData("feedjira_real/TechCrunch.xml", "rss20", 20, "TechCrunch", "http://techcrunch.com/?p=446154", "http://feedproxy.google.com/~r/Techcrunch/~3/kTeeGj4FnwU/", "Angie\u2019s List Sets Price Range IPO At $11 To $13 Per Share; Valued At Over $600M", "2011-11-02T17:25:27Z", "Leena Rao")]
    [InlineData("feedjira_real/TenderLovemaking.xml", "rss20", 10, "Tender Lovemaking", "http://tenderlovemaking.com/?p=198", "http://tenderlovemaking.com/2008/12/04/nokogiris-slop-feature/", "Nokogiri\u2019s Slop Feature", "2008-12-04T17:17:49Z", "Aaron Patterson")]
    [InlineData("feedjira_real/TypePadNews.xml", "atom10", 10, "Everything Typepad", "tag:typepad.com,2003:post-6a00d83451c82369e2017c3708a241970b", "http://feedproxy.google.com/~r/TypePadNews/~3/0BN9mE2cw1E/spotlight-friday-favorites.html", "Spotlight: Friday Favorites!", "2013-02-22T17:47:09Z", "The Typepad Team")]
    [InlineData("chardet_real_feeds/Big5__0804.blogspot.com.xml", "atom03", 9, "0", "tag:blogger.com,1999:blog-8189011.post-112985355437951392", "http://0804.blogspot.com/2005/10/11.html", "\u300a11\u6708\u7684\u856d\u90a6\u300b", "2005-10-21T00:11:00Z", "ling")]
    [InlineData("chardet_real_feeds/EUC-JP__blog.kabu-navi.com.xml", "atom03", 15, "\u8ca0\u3051\u306a\u3044\u6295\u8cc7\u5bb6\u306e\u30b9\u30a4\u30f3\u30b0\u30c8\u30ec\u30fc\u30c9\u65e5\u8a18", "tag:blog.kabu-navi.com,2005://1.853", "http://blog.kabu-navi.com/2005/11/post_153.html", "\u3044\u3044\u611f\u3058\u3067\u306f\u3042\u308b\u304c", "2005-11-09T15:30:50Z", "kabunavi")]
    [InlineData("chardet_real_feeds/EUC-KR__blog.rss.naver.com.xml", "rss20", 10, "alphathinker\ub2d8\uc758 \ube14\ub85c\uadf8", "http://blog.naver.com/alphathinker/40002716789", "http://blog.naver.com/alphathinker/40002716789", "2003\ub144 \uc5c5 \uadf8\ub808\uc774\ub4dc\ub41c \uae30\ubcf8\uac15\uc758\uc2dc\ub9ac\uc988 \uc218\uac15 \uc548\ub0b4", "2004-05-23T10:57:35Z", null)]
    [InlineData("chardet_real_feeds/iso-8859-7-greek__disabled.gr.xml", "rss20", 10, "Disabled.GR", "http://www.disabled.gr/at/?p=1796", "http://www.disabled.gr/at/?p=1796", "\u0396\u03b7\u03c4\u03b5\u03af\u03c4\u03b1\u03b9 \u03b2\u03bf\u03b7\u03b8\u03cc\u03c2 \u03bd\u03bf\u03c3\u03bf\u03ba\u03cc\u03bc\u03b1", "2005-10-28T07:01:24Z", "Nikos")]
    [InlineData("chardet_real_feeds/KOI8-R__aif.ru.health.xml", "rss091", 17, "www.AIF.ru", "http://www.aif.ru/online/health/592/11_01", "http://www.aif.ru/online/health/592/11_01", "\u041a\u0430\u043a \u043f\u0435\u0440\u0435\u0436\u0438\u0442\u044c \u043d\u043e\u0432\u043e\u0433\u043e\u0434\u043d\u044e\u044e \u043d\u043e\u0447\u044c", null, null)]
    [InlineData("chardet_real_feeds/windows-1251-russian__aif.ru.health.xml", "rss091", 17, "www.AIF.ru", "http://www.aif.ru/online/health/592/11_01", "http://www.aif.ru/online/health/592/11_01", "\u041a\u0430\u043a \u043f\u0435\u0440\u0435\u0436\u0438\u0442\u044c \u043d\u043e\u0432\u043e\u0433\u043e\u0434\u043d\u044e\u044e \u043d\u043e\u0447\u044c", null, null)]
    [InlineData("chardet_real_feeds/SHIFT_JIS__10e.org.xml", "rss10", 30, "\u30a8\u30eb\u30a8\u30eb", "http://10e.org/mt/archives/200601/030402.php", "http://10e.org/mt/archives/200601/030402.php", "\u3044\u308d\u3044\u308d\u3061\u3087\u3063\u3068\u5f85\u3063\u3066\u30cd\u3002", "2006-01-02T19:02:09Z", "elel")]
    [InlineData("chardet_real_feeds/windows-1255-hebrew__carshops.co.il.xml", "rss20", 338, "CarShops - \u05e9\u05d9\u05e4\u05d5\u05e8\u05d9\u05dd \u05dc\u05e8\u05db\u05d1", "http://www.carshops.co.il/products/532.html", "http://www.carshops.co.il/products/532.html", "\u05de\u05d5\u05d8 \u05de\u05d9\u05d9\u05e6\u05d1 OMP", "2005-12-28T19:31:05Z", null)]
    [InlineData("dotnet_syndication/SimpleRssFeed.xml", "rss20", 1, "Contoso News", "http://Contoso.com/news/path", "http://Contoso.com/news/path", "SyndicationFeed released for .NET", "2017-06-19T18:52:39Z", "Contoso Item author")]
    public void Reads_the_first_item_of_a_real_feed(string file, string format, int posts, string channel, string id, string? url, string title, string? created, string? author)
    {
        var result = Parse(file, out var feed);

        Assert.Equal(format, feed.Format);
        Assert.Equal(posts, result.Posts.Count);
        var post = result.Posts[0];
        Assert.Equal(("feed", "feeds.example.org", channel, id), (post.Platform, post.Host, post.Channel, post.NativeId));
        Assert.Equal(url ?? post.Url, post.Url);
        Assert.Equal(title, post.Extra["title"]);
        Assert.Equal(created is null ? null : DateTime.Parse(created, null, System.Globalization.DateTimeStyles.AdjustToUniversal), post.CreatedAt);
        Assert.Equal(author, post.AuthorName);
        // Only Paul Dix's feed is ill-formed (it uses wfw: without declaring it); see the test below.
        Assert.Equal(file.Contains("PaulDix", StringComparison.Ordinal) ? 1 : 0, result.Problems.Count);
    }

    [Fact]
    public void A_google_alert_links_through_google_and_keeps_the_text()
    {
        var post = Parse("feedjira_real/google_alerts_atom.xml", out _).Posts[0];

        Assert.StartsWith("https://www.google.com/url?rct=j&sa=t&url=https://www.aglobalmarketresearch.com/report-offers-prediction", post.Url);
        // The item's title comes first (docs/records.md), then the body.
        Assert.StartsWith("Report offers Prediction of Automotive Slack Market by Top key players like Haldex, Meritor, Bendix ...\n\n"
            + "Automotive Slack Market reports provides a comprehensive overview of the global", post.Text);
    }

    [Fact]
    public void Escaped_html_in_a_pre_block_stays_text()
    {
        var result = Parse("feedjira_real/AtomEscapedHTMLInPreTag.xml", out _);

        var post = Assert.Single(result.Posts);
        Assert.Equal(("Test feed", "Test entry", "Test entry\n\nThis is escaped html:\n<b>test<b>"), (post.Channel, post.Extra["title"], post.Text));
        Assert.StartsWith("h:", post.NativeId);
    }

    [Fact]
    public void A_podcast_feed_gives_its_audio_enclosure_even_with_an_undeclared_prefix()
    {
        var result = Parse("feedjira_real/itunes.xml", out _);

        Assert.Equal(3, result.Posts.Count);
        var first = result.Posts[0];
        Assert.Equal(("Shake Shake Shake Your Spices", "John Doe", new DateTime(2005, 6, 15, 19, 0, 0, DateTimeKind.Utc)), (first.Extra["title"], first.AuthorName, first.CreatedAt!.Value));
        var audio = Assert.Single(first.Media);
        Assert.Equal(("audio", "http://example.com/podcasts/everything/AllAboutEverythingEpisode3.m4a", "audio/x-m4a"), (audio.Kind, audio.Url, audio.Mime));
        Assert.Equal("ill-formed feed: the prefix of content:encoded is not declared", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public void A_truncated_feed_still_yields_its_items_and_says_it_is_truncated()
    {
        var result = Parse("feedjira_real/InvalidDateFormat.xml", out _);

        Assert.Equal(["Item 0 with an invalid date", "Item 1 with all valid dates"], result.Posts.Select(p => p.Extra["title"]).ToArray());
        Assert.Equal(new DateTime(2017, 10, 16, 15, 10, 0, DateTimeKind.Utc), result.Posts[0].CreatedAt);
        Assert.Equal("ill-formed feed: the document ends inside <rss> (truncated or unclosed)", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public void Items_split_by_a_foreign_element_are_all_read_and_one_identity_is_stored_once()
    {
        var result = Parse("dotnet_syndication/RssDisjointItems.xml", out var feed);

        Assert.Equal(2, feed.Entries.Count);
        Assert.Equal(("123FeedID", "http://www.Contoso.com/news", "en-us"), (feed.Id, feed.Link, feed.Language));
        // Both items have the same link and no guid: the same post key, so the archive stores it once.
        Assert.Equal("http://Contoso.com/news/path", Assert.Single(result.Posts).NativeId);
    }

    [Fact]
    public void Relative_links_in_content_resolve_against_xml_base()
    {
        var result = Parse("feedjira_real/PaulDixExplainsNothingWFW.xml", out _);
        var post = result.Posts[0];

        Assert.Equal("ill-formed feed: the prefix of wfw:commentRss is not declared", Assert.Single(result.Problems).Reason);
        Assert.Equal("http://www.pauldix.net/2009/01/sax-machine-sax-parsing-made-easy.html", post.Links[0]);
        Assert.All(post.Links, l => Assert.StartsWith("http", l));
    }
}
