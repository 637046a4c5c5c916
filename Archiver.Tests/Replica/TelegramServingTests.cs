using System.Globalization;
using AngleSharp.Html.Parser;
using Archiver.Replica;

namespace Archiver.Tests.Replica;

public sealed class TelegramServingTests(ReplicaFixture fixture) : IClassFixture<ReplicaFixture>
{
    private static readonly HtmlParser Parser = new();
    private string Origin => fixture.Replica.Endpoints.Origin(OriginKind.Telegram);

    [Fact]
    public async Task Channel_pages_page_back_to_the_first_post_without_repeats()
    {
        foreach (var channel in fixture.Replica.Network.Channels.Where(c => c.Stream.BaseCount > 0))
        {
            var seen = new List<string>();
            var url = $"{Origin}/s/{channel.Name}";
            for (var pages = 0; url is not null; pages++)
            {
                Assert.True(pages < 100, "paging did not end");
                var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, url);
                Assert.Equal(200, status);
                var doc = Parser.ParseDocument(body);
                var posts = doc.QuerySelectorAll(".tgme_widget_message[data-post]").Select(e => e.GetAttribute("data-post")!).ToList();
                Assert.InRange(posts.Count, 1, 20);
                seen.InsertRange(0, posts);
                var more = doc.QuerySelector("a.tme_messages_more[data-before]");
                url = more is null ? null : $"{Origin}/s/{channel.Name}?before={more.GetAttribute("data-before")}";
            }
            var truth = fixture.Replica.Truth().TelegramPosts(channel).Select(p => p.NativeId).ToList();
            Assert.Equal(truth, seen);
            Assert.Equal($"{channel.Name}/1", seen[0]);
        }
    }

    [Fact]
    public async Task The_empty_channel_says_no_posts_found()
    {
        var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/s/quiet_corner");

        var doc = Parser.ParseDocument(body);
        Assert.Equal(200, status);
        Assert.Equal("No posts found", doc.QuerySelector(".tme_no_messages_found")?.TextContent);
        Assert.Empty(doc.QuerySelectorAll(".tgme_widget_message[data-post]"));
        Assert.Null(doc.QuerySelector(".tme_messages_more"));
    }

    [Fact]
    public async Task Pages_have_the_real_markup_and_parse_back_to_the_ground_truth()
    {
        var channel = fixture.Replica.Network.Channels[1];
        var truth = fixture.Replica.Truth().TelegramPosts(channel).ToDictionary(p => p.NativeId);
        var (_, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/s/{channel.Name}");
        var doc = Parser.ParseDocument(body);

        Assert.Equal(channel.Title, doc.QuerySelector(".tgme_channel_info_header_title")?.TextContent);
        Assert.Equal($"@{channel.Name}", doc.QuerySelector(".tgme_channel_info_header_username")?.TextContent);
        Assert.Equal(channel.Description, doc.QuerySelector(".tgme_channel_info_description")?.TextContent);
        Assert.Equal(Counts.Short(channel.Subscribers), doc.QuerySelector(".tgme_channel_info_counter .counter_value")?.TextContent);
        var messages = doc.QuerySelectorAll(".tgme_widget_message_wrap > .tgme_widget_message");
        Assert.Equal(20, messages.Length);
        foreach (var m in messages)
        {
            var expected = truth[m.GetAttribute("data-post")!];
            Assert.Equal(expected.Html, m.QuerySelector(".tgme_widget_message_text")?.InnerHtml);
            Assert.Equal(expected.Text, Plain(m.QuerySelector(".tgme_widget_message_text")));
            var time = DateTime.Parse(m.QuerySelector("time[datetime]")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
            Assert.Equal(expected.CreatedAt, time);
            Assert.Equal(expected.Url, m.QuerySelector("a.tgme_widget_message_date")!.GetAttribute("href"));
            var views = m.QuerySelector(".tgme_widget_message_views")?.TextContent;
            Assert.Equal(expected.Views, views is null ? null : Counts.Value(views));
            Assert.Equal(expected.ForwardedFrom, m.QuerySelector(".tgme_widget_message_forwarded_from_name")?.TextContent);
            Assert.Equal(expected.ReplyTo is null ? null : $"{Origin}/{expected.ReplyTo}", m.QuerySelector("a.tgme_widget_message_reply")?.GetAttribute("href"));
            Assert.Equal(expected.Kind == "service", m.ClassList.Contains("service_message"));
            Assert.Equal(expected.AuthorName, m.QuerySelector(".tgme_widget_message_from_author")?.TextContent ?? channel.Title);
            var photos = m.QuerySelectorAll(".tgme_widget_message_photo_wrap").Select(e => Between(e.GetAttribute("style")!, "url('", "')"));
            Assert.Equal(expected.Media.Where(x => x.Kind == "photo").Select(x => x.Url), photos);
            var videos = m.QuerySelectorAll("video").Select(e => e.GetAttribute("src"));
            Assert.Equal(expected.Media.Where(x => x.Kind is "video" or "round_video").Select(x => x.Url), videos);
        }
    }

    [Fact]
    public async Task Hashtag_links_lead_to_the_channel_search()
    {
        var channel = fixture.Replica.Network.Channels[0];
        var truth = fixture.Replica.Truth().TelegramPosts(channel).ToList();
        var tag = truth.SelectMany(p => p.Hashtags).GroupBy(t => t).OrderByDescending(g => g.Count()).First().Key;
        var (_, page, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/s/{channel.Name}");
        var href = Parser.ParseDocument(page).QuerySelectorAll(".tgme_widget_message_text a").Select(a => a.GetAttribute("href")).First(h => h!.StartsWith("?q=", StringComparison.Ordinal));

        var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/s/{channel.Name}?q={Uri.EscapeDataString("#" + tag)}");

        Assert.Equal(200, status);
        Assert.StartsWith("?q=%23", href);
        var expected = truth.Where(p => p.Text.Contains("#" + tag, StringComparison.OrdinalIgnoreCase)).TakeLast(20).Select(p => p.NativeId);
        Assert.Equal(expected, Parser.ParseDocument(body).QuerySelectorAll(".tgme_widget_message[data-post]").Select(e => e.GetAttribute("data-post")));
    }

    [Fact]
    public async Task Permalinks_serve_one_post_and_gaps_are_404()
    {
        var channel = fixture.Replica.Network.Channels[0];
        var generator = new TelegramGenerator(fixture.Replica.Network);
        var id = generator.IdOf(channel, 5);
        var gap = Enumerable.Range(1, 30).First(i => generator.IndexOf(channel, i, 1) < 0);

        var (status, body, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/{channel.Name}/{id}");
        var (gapStatus, _, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/{channel.Name}/{gap}");

        Assert.Equal(200, status);
        Assert.Equal([$"{channel.Name}/{id}"], Parser.ParseDocument(body).QuerySelectorAll("[data-post]").Select(e => e.GetAttribute("data-post")));
        Assert.Equal(404, gapStatus);
    }

    [Fact]
    public async Task Media_robots_and_unknown_paths_answer_like_a_plain_web_server()
    {
        var media = fixture.Replica.Truth().Media().Take(30).ToList();
        foreach (var m in media)
        {
            using var response = await fixture.Http.GetAsync(m.Url, TestContext.Current.CancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.Equal(m.Mime, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(m.Size, response.Content.Headers.ContentLength);
            Assert.Equal(m.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        }
        var (robotsStatus, robots, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/robots.txt");
        var (missing, _, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/s/no_such_channel");
        var (badMedia, _, _) = await ReplicaFixture.GetAsync(fixture.Http, $"{Origin}/media/nothing.png");

        Assert.Contains(media, m => m.Mime == "image/png");
        Assert.Equal(200, robotsStatus);
        Assert.Contains("Disallow: /private/", robots);
        Assert.Equal(404, missing);
        Assert.Equal(404, badMedia);
    }

    private static string Plain(AngleSharp.Dom.IElement? element)
    {
        if (element is null) return "";
        var clone = (AngleSharp.Dom.IElement)element.Clone();
        foreach (var br in clone.QuerySelectorAll("br").ToList()) br.Replace(clone.Owner!.CreateTextNode("\n"));
        return clone.TextContent.Trim();
    }

    private static string Between(string text, string start, string end)
    {
        var a = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[a..text.IndexOf(end, a, StringComparison.Ordinal)];
    }
}
