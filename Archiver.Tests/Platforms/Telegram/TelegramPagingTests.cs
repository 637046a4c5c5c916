using System.Text;
using Archiver.Benchmarks;
using Archiver.Platforms;
using Archiver.Platforms.Telegram;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Telegram;

/// <summary>Walking a channel back with ?before=ID, as a crawler following Next would.</summary>
public sealed class TelegramPagingTests
{
    private static readonly List<string> Templates = ParseWorkloads.TelegramTemplates(Fixtures.Root);
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A channel whose message n was posted n hours after Start, serving 20 messages per page like t.me.</summary>
    private sealed class FakeChannel(string channel, IEnumerable<long> ids)
    {
        private readonly List<long> _ids = ids.Order().ToList();
        public int Served { get; private set; }

        public FetchedPage Serve(CrawlRequest request)
        {
            Served++;
            var before = TelegramPaging.Before(request.Url) ?? long.MaxValue;
            var page = _ids.Where(i => i < before).TakeLast(20).Select(i => (i, Start.AddHours(i))).ToList();
            var html = ParseWorkloads.TelegramPage(Templates, channel, page);
            return TelegramPages.Page(System.Text.Encoding.UTF8.GetBytes(html), request.Url.AbsoluteUri, request);
        }
    }

    private static (List<string> Ids, List<ParseResult> Pages, List<CrawlRequest> Requests) Walk(FakeChannel channel, CrawlRequest first)
    {
        var ids = new List<string>();
        var pages = new List<ParseResult>();
        var requests = new List<CrawlRequest>();
        var queue = new Queue<CrawlRequest>([first]);
        while (queue.Count > 0)
        {
            Assert.True(requests.Count < 100, "paging did not end");
            var request = queue.Dequeue();
            requests.Add(request);
            var result = TelegramPages.Platform.Parse(channel.Serve(request));
            Assert.Empty(result.Problems);
            pages.Add(result);
            ids.AddRange(result.Posts.Select(p => p.NativeId));
            foreach (var next in result.Next) queue.Enqueue(next);
        }
        return (ids, pages, requests);
    }

    [Fact]
    public void Walks_back_to_the_first_post_across_deleted_ids_without_repeats()
    {
        var deleted = new HashSet<long> { 3, 4, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 77, 95 };
        var existing = Enumerable.Range(1, 96).Select(i => (long)i).Where(i => !deleted.Contains(i)).ToList();
        var channel = new FakeChannel("gappy", existing);
        Assert.True(TelegramPages.Platform.TryParseSeed("telegram:gappy", out var seed));

        var (ids, pages, requests) = Walk(channel, TelegramPages.Platform.Start(seed).Single());

        Assert.Equal(existing.Select(i => $"gappy/{i}").Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(["https://t.me/s/gappy", "https://t.me/s/gappy?before=75", "https://t.me/s/gappy?before=44", "https://t.me/s/gappy?before=24", "https://t.me/s/gappy?before=2"],
            requests.Select(r => r.Url.AbsoluteUri));
        Assert.Equal([1000, 999, 998, 997, 996], requests.Select(r => r.Priority));
        // The listing windows tile the channel: each starts where the next page's window ends, deleted ids included.
        Assert.Equal([(75L, 96L), (44L, 74L), (24L, 43L), (2L, 23L), (1L, 1L)], pages.Select(p => (p.Listing!.FromId, p.Listing.ToId)));
        Assert.Equal(["gappy/44", "gappy/45", "gappy/46", "gappy/47", "gappy/48", "gappy/49", "gappy/61"], pages[1].Listing!.Ids.Take(7));
    }

    [Fact]
    public void Stays_on_the_origin_that_served_the_page()
    {
        var channel = new FakeChannel("replica", Enumerable.Range(1, 30).Select(i => (long)i));
        Assert.True(TelegramPages.Platform.TryParseSeed("telegram:http://127.0.0.1:5123/s/replica", out var seed));
        var (ids, _, requests) = Walk(channel, TelegramPages.Platform.Start(seed).Single());
        Assert.Equal(30, ids.Count);
        Assert.Equal(["http://127.0.0.1:5123/s/replica", "http://127.0.0.1:5123/s/replica?before=11"], requests.Select(r => r.Url.AbsoluteUri));
        Assert.All(ids, id => Assert.StartsWith("replica/", id));
    }

    [Fact]
    public void Stops_when_the_oldest_post_is_before_since_and_keeps_only_posts_in_range()
    {
        var channel = new FakeChannel("dated", Enumerable.Range(1, 100).Select(i => (long)i));
        var since = Start.AddHours(70).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var until = Start.AddHours(90).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var first = TelegramPages.Request("https://t.me/s/dated", "dated", context: [("since", since), ("until", until)]);

        var (ids, _, requests) = Walk(channel, first);

        Assert.Equal(2, requests.Count);
        Assert.Equal(Enumerable.Range(70, 20).Select(i => $"dated/{i}").Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(since, requests[1].Context["since"]);
    }

    [Fact]
    public void Treats_a_bare_until_date_as_the_whole_day()
    {
        var context = new Dictionary<string, string> { ["until"] = "2024-01-02", ["since"] = "2024-01-02" };
        Assert.Equal(new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc), TelegramPaging.Bound(context, "until"));
        Assert.Equal(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), TelegramPaging.Bound(context, "since"));
        Assert.Null(TelegramPaging.Bound(new Dictionary<string, string> { ["since"] = "soon" }, "since"));
    }

    [Fact]
    public void Refuses_to_loop_when_a_page_does_not_move_back()
    {
        var html = ParseWorkloads.TelegramPage(Templates, "stuck", [(40, Start), (41, Start)]);
        var result = TelegramPages.ParseHtml(html, "https://t.me/s/stuck?before=40");
        Assert.Empty(result.Next);
        Assert.Equal("page before=40 did not move back (smallest id 40); paging stopped to avoid a loop", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public void Ends_at_the_empty_channel_page_and_at_post_one()
    {
        var empty = TelegramPages.ParseHtml(ParseWorkloads.TelegramPage(Templates, "none", []), "https://t.me/s/none");
        Assert.Empty(empty.Next);
        Assert.Equal((1L, long.MaxValue), (empty.Listing!.FromId, empty.Listing.ToId));
        var first = TelegramPages.Parse("tchan/parse_service_message_channel_created.html");
        Assert.Empty(first.Next);
    }

    [Fact]
    public void Reports_a_gone_channel_and_http_failures()
    {
        var gone = TelegramPages.Platform.Parse(TelegramPages.Page([], "https://t.me/s/vanished", status: 404));
        Assert.Equal(new GoneEntity("telegram:t.me:vanished", "channel", 404, "HTTP 404 from https://t.me/s/vanished"), Assert.Single(gone.Gone));
        var failed = TelegramPages.Platform.Parse(TelegramPages.Page([], "https://t.me/s/busy", status: 503));
        Assert.Equal("HTTP 503 from t.me: no channel page to read", Assert.Single(failed.Problems).Reason);
    }

    [Fact]
    public void Reports_a_page_that_is_not_a_channel_page()
    {
        var result = TelegramPages.ParseHtml("<html><body><h1>Welcome</h1></body></html>", "https://t.me/s/x");
        Assert.Equal("not a Telegram channel page: no tgme_widget_message, channel header or 'no posts' marker", Assert.Single(result.Problems).Reason);
    }
}
