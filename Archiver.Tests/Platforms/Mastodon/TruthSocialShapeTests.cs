using Archiver.Model;
using Archiver.Platforms.Mastodon;

namespace Archiver.Tests.Platforms.Mastodon;

/// <summary>
/// Truth Social's statuses follow Mastodon's with its own additions (group, quote_id, tv, sponsored, pleroma,
/// an empty language, video meta with frame rates). The transcribed fixture named in SOURCES.md is not in the
/// shared folder, so this answer is written here in that shape.
/// </summary>
public sealed class TruthSocialShapeTests
{
    private const string Timeline = """
        [{"id":"114241306148201991","created_at":"2025-03-28T19:36:07.570Z","in_reply_to_id":null,"quote_id":null,"in_reply_to_account_id":null,
          "sensitive":false,"spoiler_text":"","visibility":"public","language":"","uri":"https://truthsocial.com/@realDonaldTrump/114241306148201991",
          "url":"https://truthsocial.com/@realDonaldTrump/114241306148201991","content":"<p>Thank you!<br/>Great <a href=\"https://truthsocial.com/tags/MAGA\" class=\"mention hashtag\" rel=\"tag\">#<span>MAGA</span></a> day <a href=\"https://example.com/x?a=1&amp;b=2\" rel=\"nofollow noopener\" target=\"_blank\">example.com/x</a></p>",
          "account":{"id":"107780257626128497","username":"realDonaldTrump","acct":"realDonaldTrump","display_name":"Donald J. Trump","locked":false,"bot":false,
            "discoverable":false,"group":false,"created_at":"2022-02-11T16:16:57.705Z","note":"<p></p>","url":"https://truthsocial.com/@realDonaldTrump",
            "avatar":"https://static-assets-1.truthsocial.com/tmtg:prime-ts-assets/accounts/avatars/107/780/257/626/128/497/original/454286ac07a6f6e6.jpeg",
            "followers_count":9876543,"following_count":70,"statuses_count":28000,"verified":true,"location":"","website":"www.DonaldJTrump.Vote",
            "accepting_messages":false,"pleroma":{"accepts_chat_messages":true},"tv_account":false,"emojis":[],"fields":[]},
          "media_attachments":[{"id":"114241305","type":"video","url":"https://truth.example/v.mp4","preview_url":"https://truth.example/v.jpg",
            "external_video_id":"v5abc","remote_url":null,"meta":{"original":{"width":1280,"height":720,"frame_rate":"30/1","duration":81.5,"bitrate":1000000}},
            "description":null,"blurhash":"x","processing":"complete"}],
          "mentions":[],"tags":[{"name":"MAGA","url":"https://truthsocial.com/tags/MAGA"}],"card":null,"group":null,"quote":null,"in_reply_to":null,
          "reblog":null,"sponsored":false,"replies_count":12034,"reblogs_count":20110,"favourites_count":85007,"favourited":false,"reblogged":false,
          "muted":false,"pinned":false,"bookmarked":false,"poll":null,"emojis":[],"_pulled":"2025-03-28T19:40:00Z"}]
        """;

    [Fact]
    public void Reads_a_truth_social_timeline_with_its_extra_fields()
    {
        var page = MastodonPages.Json("https://truthsocial.com/api/v1/accounts/107780257626128497/statuses?limit=40", Timeline,
            request: MastodonPages.Request("https://truthsocial.com/api/v1/accounts/107780257626128497/statuses?limit=40", MastodonApi.AccountStatuses, "truthsocial"),
            headers: ("Link", "<https://truthsocial.com/api/v1/accounts/107780257626128497/statuses?max_id=114241306148201991>; rel=\"next\""));

        var result = MastodonPlatform.TruthSocial.Parse(page);

        Assert.Empty(result.Problems);
        var post = Assert.Single(result.Posts);
        Assert.Equal("truthsocial:truthsocial.com:114241306148201991", post.Key);
        Assert.Equal(("realDonaldTrump", "Donald J. Trump", "107780257626128497"), (post.AuthorHandle, post.AuthorName, post.AuthorId));
        Assert.Equal("Thank you!\nGreat #MAGA day example.com/x", post.Text);
        Assert.Null(post.Language);
        Assert.Equal(["MAGA"], post.Hashtags);
        Assert.Equal(["https://example.com/x?a=1&b=2"], post.Links);
        Assert.Equal((85007L, 20110L, 12034L), (post.Likes!.Value, post.Shares!.Value, post.Replies!.Value));
        Assert.Equal(new MediaRef { Kind = "video", Url = "https://truth.example/v.mp4", Width = 1280, Height = 720, DurationSeconds = 81.5 }, Assert.Single(post.Media));
        var author = Assert.Single(result.Authors);
        Assert.Equal((9876543L, "true", (string?)null), (author.Followers!.Value, author.Extra["verified"], author.Description));
        Assert.Equal(
            ["https://truthsocial.com/api/v1/accounts/107780257626128497/statuses?max_id=114241306148201991", "https://truthsocial.com/api/v1/statuses/114241306148201991/context"],
            result.Next.Select(n => n.Url.AbsoluteUri));
        Assert.All(result.Next, n => Assert.Equal("truthsocial", n.Platform));
    }

    [Theory]
    [InlineData("<https://a/next>; rel=\"next\", <https://a/prev>; rel=\"prev\"", "https://a/next")]
    [InlineData("<https://a/prev>; rel=prev, <https://a/next>; rel=next", "https://a/next")]
    [InlineData("</api/v1/x?max_id=5>; rel=\"last next\"", "https://a/api/v1/x?max_id=5")]
    [InlineData("<https://a/prev>; rel=\"prev\"", null)]
    [InlineData("garbage", null)]
    [InlineData("<javascript:alert(1)>; rel=\"next\"", null)]
    public void Finds_the_next_link_in_link_headers(string header, string? expected) =>
        Assert.Equal(expected, LinkHeader.Find(header, "next", new Uri("https://a/api/v1/timelines/public"))?.AbsoluteUri);
}
