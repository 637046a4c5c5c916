using System.Diagnostics;
using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Sites;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Sites;

/// <summary>The shipped profiles on the pages they were written for: the bench site and the replica's forum markup.</summary>
public sealed class GeneratedSiteTests
{
    private static readonly SiteProfileCatalog Catalog = SiteProfileCatalog.CreateDefault();
    private static readonly Lazy<string> BenchPages = new(GenerateBenchPages);

    private static string GenerateBenchPages()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"archiver-bench-site-{Environment.ProcessId}");
        // Generated once per test run and shared by the tests here; removed when the run ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        };
        var start = new ProcessStartInfo("python3", [Path.Combine(Fixtures.Bench, "gen_site.py"), "3", dir]) { RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return dir;
    }

    private static FetchedPage Bench(int n) =>
        TestPages.Page($"http://127.0.0.1:8089/p/{n:00000}.html", File.ReadAllBytes(Path.Combine(BenchPages.Value, "p", $"{n:00000}.html")));

    [Fact]
    public void The_bench_profile_reads_every_field_of_a_generated_page()
    {
        var result = SiteParser.Parse(Catalog.Resolve("bench-site"), Bench(0));

        Assert.Equal(20, result.Posts.Count);
        var first = result.Posts[0];
        Assert.Equal(("site", "127.0.0.1:8089", "tw-000000000", "maka986", "zedona_miisvi"), (first.Platform, first.Host, first.NativeId, first.AuthorHandle, first.Channel));
        Assert.Equal(new DateTime(2020, 10, 14, 23, 53, 56, DateTimeKind.Utc), first.CreatedAt);
        Assert.Equal((3737L, 35L, 880770L), (first.Likes!.Value, first.Shares!.Value, first.Views!.Value));
        Assert.Equal("Video the, kozido of kutu sisa he of capitol with vudeanru the bode orpotozi miurpe, kutu the bozeka the was vudeanru, and senate fido bode vudeanru tico of, bode.", first.Text);
        Assert.Equal("twitter", first.Extra["source_platform"]);
        Assert.Equal(["https://example.org/ronotu/312569"], result.Posts[1].Links);
        Assert.Equal(["election2020"], result.Posts[7].Hashtags);
        // Every pager link is followed, the next page first, so a crawl fans out instead of walking one chain.
        // On this 3-page site page 0's pager links pages 1 and 2 (the page itself is not requested again).
        Assert.Equal(["http://127.0.0.1:8089/p/00001.html", "http://127.0.0.1:8089/p/00002.html"], result.Next.Select(r => r.Url.AbsoluteUri).Order());
        var next = result.Next[0];
        Assert.Equal(("http://127.0.0.1:8089/p/00001.html", SiteParser.PagePurpose, "bench-site", 1), (next.Url.AbsoluteUri, next.Purpose, next.Context[SiteParser.ProfileKey], next.Depth));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void The_fast_parser_reads_the_bench_pages_exactly_as_the_standard_parser()
    {
        var fast = Catalog.Resolve("bench-site");
        var standard = fast with { Parser = SiteParserKind.Standard };
        for (var n = 0; n < 3; n++)
        {
            var a = SiteParser.Parse(fast, Bench(n));
            var b = SiteParser.Parse(standard, Bench(n));
            Assert.Equal(20, a.Posts.Count);
            Assert.Equal(Comparable(b.Posts), Comparable(a.Posts));
            Assert.Equal(b.Next.Select(r => r.Url), a.Next.Select(r => r.Url));
        }
    }

    // Html differs only in serialisation (the fast parser keeps the served bytes; AngleSharp re-serialises).
    private static List<string> Comparable(IEnumerable<Post> posts) =>
        posts.Select(p => System.Text.Json.JsonSerializer.Serialize(p with { Html = System.Net.WebUtility.HtmlDecode(p.Html) })).ToList();

    private const string ForumPage = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>Replica forum: Thread 17</title></head><body>
        <h1>Thread 17</h1>
        <div class="forum-post" data-post-id="1701"><span class="post-author">alice</span>
          <time datetime="2024-03-01T10:00:00+02:00">1 March</time>
          <div class="post-body"><p>First <b>post</b> &amp; a link <a href="/forum/t/9">to 9</a></p><p>Second line</p></div>
          <span class="post-likes">1.2K</span></div>
        <div class="forum-post" data-post-id="1702"><span class="post-author">bob</span>
          <time datetime="2024-03-01T11:30:00Z">1 March</time>
          <div class="post-body">Reply<br>with a break</div><span class="post-likes">3</span></div>
        <nav><a rel="next" href="/forum/t/17?page=3">next</a> <a class="thread-link" href="/forum/t/18">18</a> <a class="thread-link" href="/forum/t/19">19</a></nav>
        </body></html>
        """;

    [Theory]
    [InlineData("replica-forum", "http://127.0.0.1:5123/forum/t/17?page=2", false)]
    [InlineData("replica-js", "http://127.0.0.1:5123/js/t/17?page=2", true)]
    public void The_replica_profiles_read_forum_posts_paging_and_thread_links(string profileName, string url, bool insideApp)
    {
        var html = insideApp ? ForumPage.Replace("<h1>Thread 17</h1>", "<div id=\"app\">").Replace("</body>", "</div></body>") : ForumPage;

        var result = SiteParser.Parse(Catalog.Resolve(profileName), TestPages.Page(url, html));

        Assert.Equal(2, result.Posts.Count);
        var first = result.Posts[0];
        Assert.Equal(("1701", "alice", "17", 1200L, "1.2K"), (first.NativeId, first.AuthorHandle, first.Channel, first.Likes!.Value, first.Extra["likes_text"]));
        Assert.Equal(new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc), first.CreatedAt);
        Assert.Equal("First post & a link to 9\nSecond line", first.Text);
        Assert.Equal(["http://127.0.0.1:5123/forum/t/9"], first.Links);
        Assert.Equal("Reply\nwith a break", result.Posts[1].Text);
        Assert.Equal(
            [("http://127.0.0.1:5123/forum/t/17?page=3", SiteParser.PagePurpose), ("http://127.0.0.1:5123/forum/t/18", SiteParser.ThreadPurpose), ("http://127.0.0.1:5123/forum/t/19", SiteParser.ThreadPurpose)],
            result.Next.Select(r => (r.Url.AbsoluteUri.Replace("/js/", "/forum/"), r.Purpose)).ToArray());
        Assert.All(result.Next, r => Assert.Equal(insideApp, r.NeedsBrowser));
    }

    [Fact]
    public void A_javascript_page_fetched_without_the_browser_says_so()
    {
        var shell = "<html><body><div id=\"app\"></div><script src=\"/app.js\"></script></body></html>";

        var result = SiteParser.Parse(Catalog.Resolve("replica-js"), TestPages.Page("http://127.0.0.1:5123/js/t/1", shell));

        Assert.Empty(result.Posts);
        Assert.Contains("needs JavaScript", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public async Task Profile_test_prints_the_extracted_posts_as_json()
    {
        var file = Path.Combine(BenchPages.Value, "p", "00001.html");

        var run = await Support.Cli.RunAsync("--json", "profile", "test", "bench-site", file, "--url", "http://127.0.0.1:8089/p/00001.html");

        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal(20, json.RootElement.GetProperty("posts").GetArrayLength());
        Assert.Equal("http://127.0.0.1:8089/p/00002.html", json.RootElement.GetProperty("next")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task Profile_test_prints_a_table_of_posts_and_the_next_page()
    {
        var file = Path.Combine(BenchPages.Value, "p", "00002.html");

        var run = await Support.Cli.RunAsync("profile", "test", "bench-site", file, "--url", "http://127.0.0.1:8089/p/00002.html", "--limit", "3");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("bench-site on http://127.0.0.1:8089/p/00002.html: 20 posts", run.Out);
        Assert.Contains("... 17 more", run.Out);
        // The generator links the last page back to the first.
        Assert.Contains("site-page: http://127.0.0.1:8089/p/00000.html", run.Out);
    }

    [Fact]
    public async Task Profile_list_names_the_shipped_profiles()
    {
        var run = await Support.Cli.RunAsync("--json", "profile", "list");

        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal(5, json.RootElement.GetArrayLength());
        Assert.Contains(json.RootElement.EnumerateArray(), p => p.GetProperty("name").GetString() == "replica-js" && p.GetProperty("needs_javascript").GetBoolean());
    }

    [Fact]
    public void Seeds_of_the_three_web_platforms_do_not_overlap()
    {
        IPlatform[] platforms = [new SitePlatform(Catalog), new Archiver.Platforms.Feeds.FeedPlatform(), new Archiver.Platforms.Parler.ParlerPlatform()];
        string[] seeds = ["site:bench-site:http://127.0.0.1:8089/p/00000.html", "rss:http://127.0.0.1:5123/rss", "parler:https://parler.com/post/ce6507b865974629bd9d76363398a884"];

        var owners = seeds.Select(seed => platforms.Where(p => p.TryParseSeed(seed, out _)).Select(p => p.Name).Single()).ToArray();

        Assert.Equal(["site", "feed", "parler"], owners);
    }

    [Fact]
    public async Task Profile_test_refuses_to_fetch_from_the_internet()
    {
        var run = await Support.Cli.RunAsync("profile", "test", "bench-site", "https://example.com/p/00001.html");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("only loopback addresses", run.Error);
    }

    [Fact]
    public async Task Profile_test_names_an_unknown_profile()
    {
        var run = await Support.Cli.RunAsync("profile", "test", "nope", Fixtures.Path("forums/trafilatura_cache/love-hina.ch.0409.html"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No site profile named \"nope\"", run.Error);
    }
}
