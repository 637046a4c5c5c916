using Archiver.Model;
using Archiver.Platforms;
using Archiver.Platforms.Parler;
using Archiver.Tests.Support;

namespace Archiver.Tests.Platforms.Parler;

public sealed class ParlerPageTests
{
    private static readonly DateTime Captured = new(2021, 1, 11, 0, 0, 0, DateTimeKind.Utc);

    private static ParseResult Profile(string file) =>
        new ParlerPlatform().Parse(TestPages.Page("https://parler.com/profile/x/posts", Fixtures.Bytes($"forums/parler_html/profile/{file}"), "text/html", fetchedAt: Captured));

    [Fact]
    public void A_profile_page_gives_the_account_its_post_and_the_comment_thread()
    {
        var result = Profile("00o00_posts_index.html");

        var owner = result.Authors.Single(a => a.Handle == "00o00");
        Assert.Equal(("RAKAN", null, "https://company-media.parler.com/par-default-profile-picture.jpg"), (owner.DisplayName, owner.Description, owner.AvatarUrl));
        Assert.Equal(5, result.Posts.Count);
        var post = result.Posts[0];
        Assert.Equal(("15669441fbec491195efea2f422b4d31", PostKinds.Post, "00o00", "00o00"), (post.NativeId, post.Kind, post.AuthorHandle, post.Channel));
        Assert.Equal("I just joined Parler! Looking forward to meeting everyone here.", post.Text);
        Assert.Equal((11L, 4L, 0L, 0L), (post.Views!.Value, post.Replies!.Value, post.Shares!.Value, post.Likes!.Value));
        Assert.Equal(Captured - TimeSpan.FromDays(14), post.CreatedAt);
        Assert.Equal("2 weeks ago", post.Extra["timestamp"]);

        var comment = result.Posts[1];
        Assert.Equal(("1afa224285ef46e1bf46353a2ebff6a1", PostKinds.Reply, "JelloShells", "15669441fbec491195efea2f422b4d31"), (comment.NativeId, comment.Kind, comment.AuthorHandle, comment.ReplyTo));
        Assert.Equal("\U0001F384 JelloShells \U0001F384", comment.AuthorName);
        Assert.Equal((1L, 0L), (comment.Replies!.Value, comment.Likes!.Value));
        var answer = result.Posts[2];
        Assert.Equal(("00o00", "Hi", "1afa224285ef46e1bf46353a2ebff6a1"), (answer.AuthorHandle, answer.Text, answer.ReplyTo));
        Assert.Equal(["WashTimesOpEd", "John"], result.Posts.Skip(3).Select(p => p.AuthorHandle).ToArray());
        Assert.All(result.Posts.Skip(3), p => Assert.Equal("15669441fbec491195efea2f422b4d31", p.ReplyTo));
    }

    [Fact]
    public void A_profile_of_echoes_keeps_every_echo_and_every_echoed_post()
    {
        var result = Profile("00KimPossible00_posts_index.html");

        var owner = result.Authors.Single(a => a.Handle == "00KimPossible00");
        Assert.Equal("Kimberly Cherrix", owner.DisplayName);
        Assert.Equal("TRUMP2020\U0001F1FA\U0001F1F8\nWWG1WGA \U0001F438\nReal Estate Investor \U0001F3E0\nMake-up Artist \U0001F469\U0001F3FC\u200D\U0001F3A4\nTravelpreneur \U0001F30F\nNASA Range Quality Manager \U0001F680", owner.Description);
        var echoes = result.Posts.Where(p => p.Kind == PostKinds.Reblog).ToList();
        Assert.Equal(19, echoes.Count);
        // One echo with a comment by the owner; one echoed post that itself quotes a root post.
        Assert.Equal(["3", null], result.Posts.Where(p => p.Kind == "quote").Select(p => p.Extra.GetValueOrDefault("post_type_id")).ToArray());
        Assert.All(echoes, e => Assert.Equal("00KimPossible00", e.AuthorHandle));
        Assert.All(echoes, e => Assert.Contains(result.Posts, p => p.NativeId == e.Extra["reblog_of"]));
        Assert.Equal(result.Posts.Count, result.Posts.Select(p => p.NativeId).Distinct().Count());
        var quote = result.Posts.Single(p => p.Kind == "quote" && p.AuthorHandle == "00KimPossible00");
        Assert.Equal(("What a bunch of dumb f*cks!!", 14L, 7669L, 8665L, 22044L), (quote.Text, quote.Views!.Value, quote.Replies!.Value, quote.Shares!.Value, quote.Likes!.Value));
        var nunes = result.Posts.First(p => p.AuthorHandle == "Devinnunes");
        Assert.Equal(("If you thought it was just Trump they hate...", 2570832L), (nunes.Text, nunes.Views!.Value));
        Assert.Equal(Captured - TimeSpan.FromHours(16), nunes.CreatedAt);
    }

    [Fact]
    public void The_javascript_app_shell_is_reported_not_parsed()
    {
        var result = Profile("index.html");

        Assert.Empty(result.Posts);
        Assert.Equal("Parler's JavaScript app shell: this capture holds no server-rendered posts", Assert.Single(result.Problems).Reason);
    }

    [Fact]
    public void Without_a_capture_time_the_creation_time_stays_unknown()
    {
        var page = TestPages.Page("https://parler.com/post/f523ab0c0bad4afe8b20e210cfa8638c", Fixtures.Bytes("forums/parler_html/posts/new_post_example_f523ab0c0bad4afe8b20e210cfa8638c.html"), "text/html");

        var post = Assert.Single(new ParlerPlatform().Parse(page).Posts);

        Assert.Null(post.CreatedAt);
        Assert.Equal(("4 days ago", "President DJT 11AM"), (post.Extra["timestamp"], post.Text));
        Assert.Equal(["https://twitter.com/realdonaldtrump/status/1346588064026685443?s=12"], post.Links);
        Assert.Equal(("link_preview", "https://twitter.com/realdonaldtrump/status/1346588064026685443?s=12"), (post.Media[0].Kind, post.Media[0].Url));
    }

    [Theory]
    [InlineData("4 days ago", 4 * 24 * 3600)]
    [InlineData("a day ago", 24 * 3600)]
    [InlineData("16 hours ago", 16 * 3600)]
    [InlineData("2 weeks ago", 14 * 24 * 3600)]
    [InlineData("1 month ago", 30 * 24 * 3600)]
    [InlineData("just now", 0)]
    public void Relative_ages_become_durations(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RelativeAge.Parse(text));

    [Fact]
    public void Seeds_take_a_url_or_a_file_of_the_dump()
    {
        var platform = new ParlerPlatform();

        Assert.True(platform.TryParseSeed("parler:https://parler.com/profile/00o00/posts", out var url));
        Assert.True(platform.TryParseSeed("parler:/data/parler/posts/ce6507b865974629bd9d76363398a884", out var file));

        Assert.Equal(("url", "parler.com", "https://parler.com/profile/00o00/posts"), (url.Kind, url.Host, url.Value));
        Assert.Equal(("file", "parler.com", "file:///data/parler/posts/ce6507b865974629bd9d76363398a884"), (file.Kind, file.Host, Assert.Single(platform.Start(file)).Url.AbsoluteUri));
        Assert.False(platform.TryParseSeed("telegram:durov", out _));
        Assert.True(platform.CanParse(new Uri("https://parler.com/post/x")));
        Assert.False(platform.CanParse(new Uri("https://t.me/s/x")));
    }

    [Fact]
    public void Pages_of_the_dump_on_disk_belong_to_parler_com()
    {
        var page = TestPages.Page(new Uri(Fixtures.Path("forums/parler_html/posts/new_post_example_f523ab0c0bad4afe8b20e210cfa8638c.html")).AbsoluteUri,
            Fixtures.Bytes("forums/parler_html/posts/new_post_example_f523ab0c0bad4afe8b20e210cfa8638c.html"), null);

        Assert.Equal("parler:parler.com:f523ab0c0bad4afe8b20e210cfa8638c", Assert.Single(new ParlerPlatform().Parse(page).Posts).Key);
    }

    [Fact]
    public void Hostile_pages_never_throw()
    {
        var seeds = Directory.GetFiles(Fixtures.Path("forums/parler_html/posts")).Concat(Directory.GetFiles(Fixtures.Path("forums/parler_html/profile")))
            .Where(f => new FileInfo(f).Length < 50_000).Select(File.ReadAllBytes).ToList();
        var platform = new ParlerPlatform();
        var count = 0;
        foreach (var bytes in TestPages.Mutants(seeds, 1000, seed: 7))
        {
            var result = platform.Parse(TestPages.Page("https://parler.com/post/x", bytes, null, fetchedAt: Captured));
            Assert.True(result.Posts.Count > 0 || result.Problems.Count > 0);
            count++;
        }
        Assert.Equal(1000, count);
    }
}
