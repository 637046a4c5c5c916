using Archiver.Model;
using Archiver.Storage;

namespace Archiver.Tests.Storage;

/// <summary>The in-memory live posts of checked channels, without a store around them.</summary>
public sealed class LiveChannelPostsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static Post Post(string platform, string host, string channel, string nativeId) => new()
    {
        Platform = platform,
        Host = host,
        NativeId = nativeId,
        Channel = channel,
        Text = "",
    };

    private static StoreBatch Stored(params Post[] posts) => new() { Posts = posts.Select(p => new PostObservation(p, T0)).ToList() };

    private static List<string> Range(LiveChannelPosts live, string platform, string host, string channel, long from, long to, params Post[] atFirstRead) =>
        live.InRange(platform, host, channel, from, to, () => atFirstRead.Select(p => (p.Key, p.NativeId)))
            .Select(p => $"{p.Key} {p.NativeId}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void Ids_added_in_any_order_and_twice_come_back_once_with_their_keys_rebuilt()
    {
        var live = new LiveChannelPosts();
        var ids = new[] { 90, 100, 5, 50, 70, 100, 1, 60, 95, 50 };
        Range(live, "telegram", "t.me", "chan", 0, 0);

        live.Apply(Stored([.. ids.Select(i => Post("telegram", "t.me", "chan", $"chan/{i}"))]));

        Assert.Equal(["telegram:t.me:chan/50 chan/50", "telegram:t.me:chan/60 chan/60", "telegram:t.me:chan/70 chan/70"], Range(live, "telegram", "t.me", "chan", 50, 70));
        Assert.Equal(8, Range(live, "telegram", "t.me", "chan", long.MinValue, long.MaxValue).Count);
        Assert.Empty(Range(live, "telegram", "t.me", "chan", 101, 200));
    }

    [Fact]
    public void Plain_slashed_and_unusual_native_ids_keep_their_exact_form()
    {
        var live = new LiveChannelPosts();
        var posts = new[]
        {
            Post("mastodon", "Social.Example", "alice", "114098294559014912"),
            Post("mastodon", "Social.Example", "alice", "alice/114098294559014913"),
            Post("mastodon", "Social.Example", "alice", "status/0114098294559014914"),
            Post("mastodon", "Social.Example", "alice", "not-a-number"),
        };

        var all = Range(live, "mastodon", "social.example", "alice", 0, long.MaxValue, posts);

        Assert.Equal(
        [
            "mastodon:social.example:114098294559014912 114098294559014912",
            "mastodon:social.example:alice/114098294559014913 alice/114098294559014913",
            "mastodon:social.example:status/0114098294559014914 status/0114098294559014914",
        ], all);
        Assert.Equal(posts.Take(3).Select(p => p.Key).Order(StringComparer.Ordinal), all.Select(a => a.Split(' ')[0]));
    }

    [Fact]
    public void A_post_gone_is_removed_from_its_channel_only()
    {
        var live = new LiveChannelPosts();
        Range(live, "telegram", "t.me", "a", 0, 0, Post("telegram", "t.me", "a", "a/7"), Post("telegram", "t.me", "a", "a/8"));
        Range(live, "telegram", "t.me", "b", 0, 0, Post("telegram", "t.me", "b", "b/7"));

        live.Apply(new StoreBatch { Disappearances = [new Disappearance(PostKey.Of("telegram", "t.me", "a/7"), DisappearanceKind.Post, T0, 404, "gone")] });

        Assert.Equal(["telegram:t.me:a/8 a/8"], Range(live, "telegram", "t.me", "a", 0, 100));
        Assert.Equal(["telegram:t.me:b/7 b/7"], Range(live, "telegram", "t.me", "b", 0, 100));
    }
}
