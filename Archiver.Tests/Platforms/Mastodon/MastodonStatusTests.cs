using Archiver.Model;

namespace Archiver.Tests.Platforms.Mastodon;

/// <summary>Field by field, as docs/records.md maps Mastodon statuses and accounts.</summary>
public sealed class MastodonStatusTests
{
    private static Post Post(string file, string id) => MastodonPages.Parse(file).Posts.Single(p => p.NativeId == id);

    [Fact]
    public void Maps_a_status_with_an_image_attachment()
    {
        var post = Post("test_status_delete_media__02_POST_api_v1_statuses.json", "117020606035908211");
        Assert.Equal("mastodon:localhost:3000:117020606035908211", post.Key);
        Assert.Equal("http://localhost:3000/@mastodonpy_test/117020606035908211", post.Url);
        Assert.Equal(("117020565966271181", "mastodonpy_test", "John Lennon"), (post.AuthorId, post.AuthorHandle, post.AuthorName));
        Assert.Equal(new DateTime(2026, 8, 1, 13, 59, 3, 468, DateTimeKind.Utc), post.CreatedAt);
        Assert.Null(post.EditedAt);
        Assert.Equal(("Status with media", "<p>Status with media</p>", "en"), (post.Text, post.Html, post.Language));
        Assert.Equal((0L, 0L, 0L), (post.Likes!.Value, post.Shares!.Value, post.Replies!.Value));
        Assert.Equal(new MediaRef
        {
            Kind = "photo",
            Url = "http://localhost:3000/system/media_attachments/files/117/020/606/032/533/890/original/5acd59c19f4b7d96.jpg",
            Width = 600,
            Height = 600,
        }, Assert.Single(post.Media));
        Assert.Equal("unlisted", post.Extra["visibility"]);
        Assert.Equal("true", post.Extra["sensitive"]);
        Assert.False(post.Extra.ContainsKey("spoiler_text"));
    }

    [Fact]
    public void Maps_a_link_card_to_a_preview_and_card_url()
    {
        var post = Post("test_status_card__01_GET_api_v1_statuses_117020609135389699.json", "117020609135389699");
        Assert.Equal(["http://example.org/"], post.Links);
        Assert.Equal("http://example.org/", post.Extra["card_url"]);
        Assert.Equal(new MediaRef { Kind = "link_preview", Title = "Example Domain" }, Assert.Single(post.Media));
    }

    [Fact]
    public void Keeps_a_poll_as_json()
    {
        var post = Post("test_polls__00_POST_api_v1_statuses.json", "117020582690282017");
        Assert.Equal("""{"id":"1","expires_at":"2026-08-01T13:58:07.237Z","expired":false,"multiple":true,"votes_count":0,"voters_count":0,"voted":true,"own_votes":[],"options":[{"title":"four twenty","votes_count":0},{"title":"sixty-nine","votes_count":0}],"emojis":[]}""", post.Extra["poll"]);
        Assert.Null(post.AuthorName);
        Assert.Equal("admin", post.AuthorHandle);
    }

    [Fact]
    public void Stores_a_reblog_wrapper_and_its_original_separately()
    {
        var result = MastodonPages.Parse("test_status_reblog_unreblog__01_POST_api_v1_statuses_117020586019094258_reblog.json");
        var original = result.Posts.Single(p => p.NativeId == "117020586019094258");
        var wrapper = result.Posts.Single(p => p.NativeId == "117020586027094262");
        Assert.Equal((PostKinds.Post, "Toot!"), (original.Kind, original.Text));
        Assert.Equal((PostKinds.Reblog, ""), (wrapper.Kind, wrapper.Text));
        Assert.Equal("mastodonpy_test", wrapper.ForwardedFrom);
        Assert.Equal("http://localhost:3000/@mastodonpy_test/117020586019094258", wrapper.ForwardedUrl);
        Assert.Equal("117020586019094258", wrapper.Extra["reblog_of"]);
        Assert.Equal(new DateTime(2026, 8, 1, 13, 53, 58, 160, DateTimeKind.Utc), wrapper.CreatedAt);
    }

    [Fact]
    public void Marks_replies_and_reads_mentions()
    {
        var post = Post("test_status_reply__02_POST_api_v1_statuses.json", "117020583258292382");
        Assert.Equal((PostKinds.Reply, "117020583245459824"), (post.Kind, post.ReplyTo));
        Assert.Equal("117020566092212359", post.Extra["in_reply_to_account_id"]);
        Assert.Equal(["mastodonpy_test_2"], post.Mentions);
        Assert.Empty(post.Links);
        Assert.Equal("@mastodonpy_test_2 same!", post.Text);
    }

    [Fact]
    public void Stores_a_quoted_status_as_its_own_post()
    {
        var result = MastodonPages.Parse("test_status_post_with_quote__01_POST_api_v1_statuses.json");
        var quoting = result.Posts.Single(p => p.NativeId == "117020582925004921");
        Assert.Equal("117020582917124092", quoting.Extra["quote_id"]);
        // The "RE: URL" paragraph is Mastodon's hidden quote-inline fallback: not text, but the quoted URL is kept.
        Assert.Equal("yoooooooo", quoting.Text);
        Assert.Equal("http://localhost:3000/@mastodonpy_test/117020582917124092", quoting.Extra["quote_url"]);
        Assert.Equal("Toot!", result.Posts.Single(p => p.NativeId == "117020582917124092").Text);
    }

    [Fact]
    public void Reads_hashtags_without_their_links()
    {
        var post = Post("test_hashtag_tl__02_GET_api_v1_timelines_tag_hoot.json", "117020593741189701");
        Assert.Equal(["hoot"], post.Hashtags);
        Assert.Empty(post.Links);
        Assert.Equal(("#hoot (hashtag toot)", "ja"), (post.Text, post.Language));
    }

    [Fact]
    public void Reads_an_edited_status_and_its_history_as_versions()
    {
        var edited = Post("test_status_edit__03_GET_api_v1_statuses_117020586180926938.json", "117020586180926938");
        Assert.Equal(new DateTime(2026, 8, 1, 13, 54, 0, 695, DateTimeKind.Utc), edited.EditedAt);
        var versions = MastodonPages.Parse("test_status_edit__04_GET_api_v1_statuses_117020586180926938_history.json").Posts;
        Assert.Equal(["the best editor? why, of course it is VS Code", "the best editor? why, of course it is the KDE Advanced Text Editor, Kate"], versions.Select(v => v.Text));
        Assert.Equal([null, new DateTime(2026, 8, 1, 13, 54, 0, 695, DateTimeKind.Utc)], versions.Select(v => v.EditedAt));
        Assert.All(versions, v => Assert.Equal(new DateTime(2026, 8, 1, 13, 54, 0, 505, DateTimeKind.Utc), v.CreatedAt));
        Assert.Equal(["0", "1"], versions.Select(v => v.Extra["history_version"]));
    }

    [Fact]
    public void Maps_an_account_with_its_fields()
    {
        var author = MastodonPages.Parse("test_search__00_GET_api_v2_search.json").Authors[0];
        Assert.Equal("mastodon:localhost:3000:117020565966271181", author.Key);
        Assert.Equal(("mastodonpy_test", "John Lennon", "I walk funny", "account"), (author.Handle, author.DisplayName, author.Description, author.Kind));
        Assert.Equal((0L, 0L, 22L), (author.Followers!.Value, author.Following!.Value, author.PostsCount!.Value));
        Assert.Equal(new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc), author.CreatedAt);
        Assert.Equal("""[{"name":"bread","value":"toasty."},{"name":"lasagna","value":"no!!!"}]""", author.Extra["fields"]);
        Assert.Equal("http://localhost:3000/system/accounts/avatars/117/020/565/966/271/181/original/5784df1febb9890a.jpg", author.AvatarUrl);
    }
}
