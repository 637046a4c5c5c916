using System.Text;
using Archiver.Import;
using Archiver.Platforms;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

public sealed class CaptureRouterTests
{
    private readonly CaptureRouter _router = new(KnownPlatforms.Registry());

    private string? Route(string url, string? contentType, string body, string? hint = null) =>
        _router.Route(new Uri(url), contentType, Encoding.UTF8.GetBytes(body), hint)?.Name;

    [Fact]
    public void The_crawlers_note_in_the_record_wins_over_what_the_host_would_suggest()
    {
        Assert.Equal("truthsocial", Route("http://127.0.0.1:8472/api/v1/accounts/1/statuses", "application/json", "[]", hint: "truthsocial"));
        Assert.Equal("mastodon", Route("http://127.0.0.1:8472/api/v1/accounts/1/statuses", "application/json", "[]"));
        Assert.Equal("mastodon", Route("http://127.0.0.1:8472/api/v1/accounts/1/statuses", "application/json", "[]", hint: "no-such-platform"));
    }

    [Fact]
    public void A_telegram_preview_page_is_recognised_on_a_mirror_by_its_markup()
    {
        var page = Fixtures.Text("telegram/tchan/parse_text_message_signed_not_edited.html");

        Assert.Equal("telegram", Route("https://mirror.example/s/somechannel", "text/html", page));
    }

    [Theory]
    [InlineData("feeds/feedjira_real/TechCrunch.xml", "application/rss+xml")]
    [InlineData("feeds/feedjira_real/google_alerts_atom.xml", "text/xml; charset=utf-8")]
    [InlineData("feeds/feedjira_real/HREFConsideredHarmful.xml", null)]
    public void A_real_feed_at_a_url_without_a_feed_path_is_recognised_by_its_type_or_root(string fixture, string? contentType) =>
        Assert.Equal("feed", Route("https://news.example/index.php?format=export", contentType, Fixtures.Text(fixture)));

    [Fact]
    public void An_html_page_that_mentions_a_feed_element_is_not_taken_for_a_feed() =>
        Assert.Null(Route("https://news.example/about", "text/html", "<html><body><pre>&lt;feed&gt; <rss version=2.0></pre></body></html>"));
}
