using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class SiteServingTests(ReplicaFixture fixture) : IClassFixture<ReplicaFixture>
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task Rss_and_atom_feeds_carry_the_latest_posts_of_a_channel()
    {
        var channel = fixture.Replica.Network.Channels[2];
        var feeds = fixture.Replica.Endpoints.Origin(OriginKind.Feeds);
        var truth = fixture.Replica.Truth().FeedPosts().Where(p => p.Channel == $"{feeds}/feeds/{channel.Name}.rss").ToList();

        var (rssStatus, rss, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{feeds}/feeds/{channel.Name}.rss");
        var (atomStatus, atom, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{feeds}/feeds/{channel.Name}.atom");
        var items = XDocument.Parse(rss).Descendants("item").ToList();
        XNamespace a = "http://www.w3.org/2005/Atom";
        var entries = XDocument.Parse(atom).Descendants(a + "entry").ToList();

        Assert.Equal(200, rssStatus);
        Assert.Equal(200, atomStatus);
        Assert.Equal(20, items.Count);
        Assert.Equal(truth.Select(p => p.Url), items.Select(i => i.Element("link")!.Value));
        Assert.Equal(truth.Select(p => p.Html), items.Select(i => i.Element("description")!.Value));
        Assert.Equal(truth.Select(p => p.Url), entries.Select(e => e.Element(a + "id")!.Value));
        Assert.Equal(truth.Select(p => p.CreatedAt), entries.Select(e => (DateTime?)DateTime.Parse(e.Element(a + "published")!.Value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)));
    }

    [Fact]
    public async Task Forum_threads_page_with_rel_next_through_every_post()
    {
        var forum = fixture.Replica.Endpoints.Origin(OriginKind.Forum);
        var (_, list, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{forum}/forum/");
        var links = Parser.ParseDocument(list).QuerySelectorAll("a.thread-link").Select(e => e.GetAttribute("href")!).ToList();
        var truth = fixture.Replica.Truth().ForumPosts().ToList();

        var seen = new List<Archiver.Model.Post>();
        foreach (var link in links)
        {
            string? url = forum + link;
            while (url is not null)
            {
                var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, url);
                Assert.Equal(200, status);
                var doc = Parser.ParseDocument(body);
                foreach (var post in doc.QuerySelectorAll("div.forum-post[data-post-id]"))
                {
                    var expected = truth.Single(p => p.NativeId == post.GetAttribute("data-post-id"));
                    Assert.Equal(expected.AuthorName, post.QuerySelector(".post-author")!.TextContent);
                    Assert.Equal(expected.CreatedAt, DateTime.Parse(post.QuerySelector("time[datetime]")!.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal));
                    Assert.Equal(expected.Html, post.QuerySelector(".post-body")!.InnerHtml);
                    Assert.Equal(expected.Likes.ToString(), post.QuerySelector(".post-likes")!.TextContent);
                    seen.Add(expected);
                }
                var next = doc.QuerySelector("a[rel=next]")?.GetAttribute("href");
                url = next is null ? null : forum + next;
            }
        }

        Assert.Equal(fixture.Replica.Network.Threads.Count, links.Count);
        Assert.Equal(truth.Select(p => p.NativeId), seen.Select(p => p.NativeId));
    }

    [Fact]
    public async Task Javascript_pages_serve_an_empty_app_and_the_posts_as_json()
    {
        var page = fixture.Replica.Network.JsPages[0];
        var js = fixture.Replica.Endpoints.Origin(OriginKind.Js);
        var truth = fixture.Replica.Truth().JsPosts().ToList();

        var (status, shell, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{js}/js/{page.Slug}");
        var (dataStatus, data, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{js}/js/{page.Slug}/data.json");
        var doc = Parser.ParseDocument(shell);
        var posts = JsonDocument.Parse(data).RootElement.GetProperty("posts").EnumerateArray().ToList();

        Assert.Equal(200, status);
        Assert.Equal(200, dataStatus);
        Assert.Equal("", doc.QuerySelector("#app")!.InnerHtml);
        Assert.Empty(doc.QuerySelectorAll(".forum-post"));
        Assert.Contains("data.json", doc.QuerySelector("script")!.TextContent);
        Assert.Contains("forum-post", doc.QuerySelector("script")!.TextContent);
        Assert.Equal(truth.Select(p => p.NativeId), posts.Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(truth.Select(p => p.Html), posts.Select(p => p.GetProperty("html").GetString()));
    }

    [Fact]
    public async Task Seeds_name_every_channel_account_feed_forum_and_page()
    {
        var seeds = fixture.Replica.Seeds;
        var e = fixture.Replica.Endpoints;

        Assert.Contains($"telegram:{e.Origin(OriginKind.Telegram)}/s/infolibre", seeds);
        Assert.Contains($"mastodon:{e.Origin(OriginKind.Mastodon)}/@alice", seeds);
        Assert.Contains($"site:replica-forum:{e.Origin(OriginKind.Forum)}/forum/", seeds);
        Assert.Equal(6, seeds.Count(s => s.StartsWith("telegram:", StringComparison.Ordinal)));
        Assert.Equal(2, seeds.Count(s => s.StartsWith("gab:", StringComparison.Ordinal)));
        Assert.Equal(5, seeds.Count(s => s.StartsWith("feed:", StringComparison.Ordinal)));
        foreach (var seed in seeds.Where(s => !s.StartsWith("site:", StringComparison.Ordinal)))
        {
            var (status, _, _) = await ReplicaFixture.GetAsync(fixture.Http, seed[(seed.IndexOf(':') + 1)..]);
            Assert.Equal(200, status);
        }
    }
}
