using System.Diagnostics;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Common;
using Archiver.Platforms.Sites;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Sites;

public sealed class SiteProfileTests
{
    private static readonly SiteProfileCatalog Catalog = SiteProfileCatalog.CreateDefault();

    private static string Trafilatura(string file) => Fixtures.Path($"forums/trafilatura_cache/{file}");

    [Fact]
    public void Ships_the_bench_replica_and_comment_thread_profiles()
    {
        Assert.Empty(Catalog.LoadErrors);
        Assert.Equal(["bench-site", "replica-forum", "replica-js", "stackoverflow-blog-comments", "wordpress-comments"],
            Catalog.All.Select(p => p.Name).ToArray());
    }

    [Fact]
    public void Reads_a_wordpress_comment_with_its_author_time_and_link()
    {
        var page = TestPages.Page("https://www.basicthinking.de/blog/2018/12/05/erfolgreiche-tweets-zutaten/", File.ReadAllBytes(Trafilatura("basicthinking.de.tweets.html")));

        var result = SiteParser.Parse(Catalog.Resolve("wordpress-comments"), page);

        var post = Assert.Single(result.Posts);
        Assert.Equal(("site", "www.basicthinking.de", "1379078", "site:www.basicthinking.de:1379078"), (post.Platform, post.Host, post.NativeId, post.Key));
        Assert.Equal("https://www.basicthinking.de/blog/2018/12/05/erfolgreiche-tweets-zutaten/#comment-1379078", post.Url);
        Assert.Equal("Klaus-Peter Baumgardt", post.AuthorHandle);
        Assert.Equal(new DateTime(2018, 12, 7, 13, 22, 45, DateTimeKind.Utc), post.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, post.CreatedAt!.Value.Kind);
        Assert.StartsWith("Schaut man ganz genau hin, ist der Habeck-Kommentar eigentlich ziemlich nichtssagend und unbeweisbar \u2013 hat aber", post.Text);
        Assert.EndsWith("wäre nötiger als der zur Rede", post.Text);
        Assert.Equal("Erfolgreiche Tweets: 12 Twitter-Nutzer verraten ihre Zutaten", post.Channel);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Reads_a_stackoverflow_blog_comment_with_a_written_out_date()
    {
        var page = TestPages.Page("https://stackoverflow.blog/2020/01/20/what-is-rust-and-why-is-it-so-popular/", File.ReadAllBytes(Trafilatura("stackoverflow.com.rust.html")));

        var result = SiteParser.Parse(Catalog.Resolve("stackoverflow-blog-comments"), page);

        var post = Assert.Single(result.Posts);
        Assert.Equal(("554074", "Jeremy Banks", "What is Rust and why is it so popular?"), (post.NativeId, post.AuthorHandle, post.Channel));
        Assert.Equal(new DateTime(2020, 1, 20, 11, 27, 0, DateTimeKind.Utc), post.CreatedAt);
        Assert.Equal("This is the kind of content I love to see on this blog. Thanks for all you do, Shep", post.Text);
        Assert.Equal("<p>This is the kind of content I love to see on this blog. Thanks for all you do, Shep</p>", post.Html!.Trim());
        Assert.Equal("https://stackoverflow.blog/2020/01/20/what-is-rust-and-why-is-it-so-popular/#comment-554074", post.Url);
    }

    [Fact]
    public void Profiles_match_their_own_urls_only()
    {
        var platform = new SitePlatform(Catalog);

        Assert.True(platform.CanParse(new Uri("http://127.0.0.1:8089/p/00042.html")));
        Assert.True(platform.CanParse(new Uri("http://127.0.0.1:5123/forum/t/17?page=2")));
        Assert.False(platform.CanParse(new Uri("https://t.me/s/durov")));
    }

    [Fact]
    public void A_site_seed_names_a_profile_and_a_url_and_starts_there()
    {
        var platform = new SitePlatform(Catalog);

        Assert.True(platform.TryParseSeed("site:replica-js:http://127.0.0.1:5123/js/t/3", out var seed));
        var request = Assert.Single(platform.Start(seed));

        Assert.Equal(("site", "127.0.0.1:5123", "site", "http://127.0.0.1:5123/js/t/3", "http://127.0.0.1:5123"), (seed.Platform, seed.Host, seed.Kind, seed.Value, seed.BaseUrl));
        Assert.Equal(("http://127.0.0.1:5123/js/t/3", SiteParser.PagePurpose, true, "replica-js"),
            (request.Url.AbsoluteUri, request.Purpose, request.NeedsBrowser, request.Context[SiteParser.ProfileKey]));
        Assert.False(platform.TryParseSeed("telegram:durov", out _));
        Assert.Throws<SiteProfileException>(() => platform.TryParseSeed("site:no-such-profile:http://127.0.0.1/", out _));
    }

    [Fact]
    public void Parse_without_a_matching_profile_reports_a_problem()
    {
        var result = new SitePlatform(Catalog).Parse(TestPages.Page("https://example.com/x", "<p>hi</p>"));

        Assert.Empty(result.Posts);
        Assert.Contains("no site profile", Assert.Single(result.Problems).Reason);
    }

    [Theory]
    [InlineData("{\"item\": \"div\", \"nmae\": \"x\"}", "unknown key \"nmae\"")]
    [InlineData("{\"name\": \"x\"}", "\"item\" (the CSS selector of one post) is required")]
    [InlineData("{\"item\": \"div[\"}", "\"item\": \"div[\" is not a valid CSS selector")]
    [InlineData("{\"item\": \"div:nth-child(2)\", \"parser\": \"fast\"}", "the fast parser does not support")]
    [InlineData("{\"item\": \"div\", \"fields\": {\"id\": {\"regex\": \"(\"}}}", "is not a valid regular expression")]
    [InlineData("{\"item\": \"div\", \"parser\": \"quick\"}", "\"parser\" must be \"standard\" or \"fast\"")]
    [InlineData("[1]", "the file must hold one JSON object")]
    [InlineData("{", "is not valid JSON")]
    public void A_broken_profile_fails_at_load_with_the_key_at_fault(string json, string message)
    {
        var error = Assert.Throws<SiteProfileException>(() => SiteProfileLoader.Parse(json, "test.json"));

        Assert.Contains(message, error.Message);
        Assert.Contains("test.json", error.Message);
    }

    [Fact]
    public void Counts_read_separators_and_suffixes()
    {
        Assert.Equal(new long?[] { 1234, 1200, 3_000_000, 12, 1234567, null, 5 },
            new[] { "1,234", "1.2K", "3M", "12 likes", "1 234 567", "none", "5" }.Select(ApproximateCount.Find).ToArray());
    }

    [Fact]
    public void Hostile_pages_never_throw_with_either_parser()
    {
        // Small seeds keep 2,000 parses fast; together they hold comment lists, forum markup and a legacy encoding.
        var comment = File.ReadAllText(Trafilatura("basicthinking.de.tweets.html"));
        var thread = comment[comment.IndexOf("<ul class=\"comment-list\">", StringComparison.Ordinal)..comment.IndexOf("<!--END comment-list-->", StringComparison.Ordinal)];
        var seeds = new List<byte[]>
        {
            File.ReadAllBytes(Trafilatura("love-hina.ch.0409.html")),
            System.Text.Encoding.UTF8.GetBytes("<html><head><title>t</title></head><body>" + thread + "</body></html>"),
            System.Text.Encoding.UTF8.GetBytes("<div class=\"forum-post\" data-post-id=\"1\"><span class=\"post-author\">a</span><time datetime=\"2024-01-01T00:00:00Z\">x</time><div class=\"post-body\">b &amp; <a href=\"/x\">c</a></div><span class=\"post-likes\">1.2K</span></div><a rel=\"next\" href=\"?page=2\">n</a>"),
        };
        var standard = Catalog.Resolve("wordpress-comments");
        var fast = Catalog.Resolve("replica-forum");
        var platform = new SitePlatform(Catalog);
        var n = 0;
        foreach (var bytes in TestPages.Mutants(seeds, 1000))
        {
            var page = TestPages.Page("http://127.0.0.1:5123/forum/t/1", bytes);
            var a = SiteParser.Parse(n % 2 == 0 ? standard : fast, page);
            var b = platform.Parse(page);
            Assert.True(a.Posts.Count > 0 || a.Problems.Count > 0);
            Assert.True(b.Posts.Count > 0 || b.Problems.Count > 0);
            n++;
        }
        Assert.Equal(1000, n);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void A_listings_page_without_a_next_link_is_its_channels_last_and_covers_everything_after_the_page_before(bool next, bool head)
    {
        static string Post(int id) => $"<div class=\"forum-post\" data-post-id=\"{id}\"><span class=\"post-author\">a</span><time datetime=\"2024-01-01T00:00:00Z\">x</time><div class=\"post-body\">post {id}</div></div>";
        var html = "<h1 class=\"thread-title\">t</h1>" + Post(21) + Post(23) + (next ? "<a rel=\"next\" href=\"/forum/t/7?page=3\">Next</a>" : "");
        var request = new CrawlRequest
        {
            Url = new Uri("http://127.0.0.1:5123/forum/t/7?page=2"),
            Platform = SiteParser.Platform,
            Purpose = SiteParser.PagePurpose,
            Context = new Dictionary<string, string> { [SiteParser.ListedUpToKey] = "20" },
        };

        var result = SiteParser.Parse(Catalog.Resolve("replica-forum"), TestPages.Page(request.Url.AbsoluteUri, html, request: request));

        var listing = Assert.IsType<ListingWindow>(result.Listing);
        Assert.Equal(("7", 21L, 23L, head), (listing.Channel, listing.FromId, listing.ToId, listing.Head));
        // A profile without a next-page link promises nothing about later pages.
        var unpaged = Catalog.Resolve("replica-forum") with { NextPage = null };
        Assert.False(SiteParser.Parse(unpaged, TestPages.Page(request.Url.AbsoluteUri, html, request: request)).Listing?.Head);
    }
}
