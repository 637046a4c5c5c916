using System.Text;
using System.Text.Json.Nodes;
using Archiver.Storage;
using Archiver.Tests.Support;

namespace Archiver.Tests.Import;

/// <summary>
/// Quote posts, reblogs and Truth Social media types as a user imports them (issue 14): the hidden quote-inline
/// markup stays out of the text (the quoted status stays as data), a reblog carries the reblogged status's
/// mentions, and Truth Social's <c>tv</c> videos are videos.
/// </summary>
public sealed class MastodonQuoteReblogMediaTests : IDisposable
{
    private const string QuotePost = "mastodon/mastodon_py/test_status_post_with_quote__01_POST_api_v1_statuses.json";
    private const string Reblog = "mastodon/mastodon_py/test_status_reblog_unreblog__01_POST_api_v1_statuses_117020586019094258_reblog.json";
    private const string Reply = "mastodon/mastodon_py/test_status_reply__02_POST_api_v1_statuses.json";
    private readonly TempArchive _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Data => _dir.File("archive");

    private async Task ImportAsync(string file)
    {
        var result = await Support.Cli.RunAsync(["import", "--format", "mastodon", file, "--data", Data, "--json"]);
        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("\"bad_lines\": 0", result.Out);
    }

    private string Write(string name, params JsonNode[] statuses)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, string.Join("\n", statuses.Select(s => s.ToJsonString())) + "\n", new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public async Task A_mastodon_quote_post_keeps_only_what_the_reader_sees_and_the_quoted_status_as_data()
    {
        // Real Mastodon 4.5 quote post: <p class="quote-inline">RE: <a href=...>...</a></p><p>yoooooooo</p>.
        await ImportAsync(Fixtures.Path(QuotePost));

        using (var store = ArchiveStore.Open(Data, readOnly: true))
        {
            var post = store.GetPost("mastodon:localhost:3000:117020582925004921")!.Post;
            Assert.Equal("yoooooooo", post.Text);
            Assert.Equal("117020582917124092", post.Extra["quote_id"]);
            Assert.Equal("http://localhost:3000/@mastodonpy_test/117020582917124092", post.Extra["quote_url"]);
            Assert.Empty(post.Links);
            Assert.Equal("Toot!", store.GetPost("mastodon:localhost:3000:117020582917124092")!.Post.Text);
        }
        var search = await Support.Cli.RunAsync("search", "--data", Data, "--json", "yoooooooo");
        Assert.True(search.ExitCode == 0, search.Error);
        Assert.Contains("117020582925004921", search.Out);
    }

    [Fact]
    public async Task A_truth_social_quote_span_glued_to_the_next_word_is_dropped_and_the_words_stay_apart()
    {
        // Truth Social quotes carry quote_id and the quoted URL in a hidden span (the markup Pleroma's InlineQuotePolicy
        // and fedibird write: <span class="quote-inline"><br/>RT: URL</span>), here with the comment going on right after it.
        var status = JsonNode.Parse(Fixtures.Text(QuotePost))!;
        status["id"] = "114000000000000002";
        status["url"] = "https://truthsocial.com/@alice/114000000000000002";
        status["uri"] = "https://truthsocial.com/@alice/114000000000000002";
        status["account"]!["url"] = "https://truthsocial.com/@alice";
        status["account"]!["acct"] = "alice";
        status["quote"] = null;
        status["quote_id"] = "114000000000000001";
        status["content"] = "<p>Read this<span class=\"quote-inline\"><br/>RT: <a href=\"https://truthsocial.com/@bob/114000000000000001\">"
            + "https://truthsocial.com/@bob/114000000000000001</a></span>Important news</p>";
        await ImportAsync(Write("truth-quote.jsonl", status));

        using var store = ArchiveStore.Open(Data, readOnly: true);
        var post = store.GetPost("truthsocial:truthsocial.com:114000000000000002")!.Post;
        Assert.Equal("Read this Important news", post.Text);
        Assert.Equal("114000000000000001", post.Extra["quote_id"]);
        Assert.Equal("https://truthsocial.com/@bob/114000000000000001", post.Extra["quote_url"]);
        Assert.Empty(post.Links);
    }

    [Fact]
    public async Task A_reblog_carries_the_mentions_of_the_reblogged_status()
    {
        // The real reblog wrapper (content "", mentions []) around the real reply that mentions mastodonpy_test_2.
        var wrapper = JsonNode.Parse(Fixtures.Text(Reblog))!;
        wrapper["reblog"] = JsonNode.Parse(Fixtures.Text(Reply));
        await ImportAsync(Write("reblog.jsonl", wrapper));

        using var store = ArchiveStore.Open(Data, readOnly: true);
        var original = store.GetPost("mastodon:localhost:3000:117020583258292382")!.Post;
        var reblog = store.GetPost("mastodon:localhost:3000:117020586027094262")!.Post;
        Assert.Equal(["mastodonpy_test_2"], original.Mentions);
        Assert.Equal("reblog", reblog.Kind);
        Assert.Equal(original.Mentions, reblog.Mentions);
        Assert.Equal("admin", reblog.ForwardedFrom);
    }

    [Fact]
    public async Task Truth_social_tv_attachments_are_videos()
    {
        var status = JsonNode.Parse(Fixtures.Text(QuotePost))!;
        status["id"] = "114000000000000003";
        status["url"] = "https://truthsocial.com/@alice/114000000000000003";
        status["account"]!["url"] = "https://truthsocial.com/@alice";
        status["account"]!["acct"] = "alice";
        status["quote"] = null;
        status["content"] = "<p>Watch</p>";
        status["media_attachments"] = JsonNode.Parse("""
            [{"id":"114000000000000010","type":"tv","url":"https://truthsocial.com/tv/v/abc.mp4","preview_url":"https://truthsocial.com/tv/v/abc.jpg",
              "external_video_id":"v5abc","remote_url":null,"meta":{"original":{"width":1280,"height":720,"duration":61.2}},"description":null}]
            """);
        await ImportAsync(Write("tv.jsonl", status));

        using var store = ArchiveStore.Open(Data, readOnly: true);
        var media = Assert.Single(store.GetPost("truthsocial:truthsocial.com:114000000000000003")!.Post.Media);
        Assert.Equal(("video", "https://truthsocial.com/tv/v/abc.mp4", 61.2), (media.Kind, media.Url, media.DurationSeconds!.Value));
    }
}
