using System.Globalization;

namespace Archiver.Replica;

/// <summary>How big the generated network is: entities per shape and posts spread over them.</summary>
public sealed record ReplicaSize
{
    public required string Name { get; init; }
    public required int TelegramChannels { get; init; }
    public required long TelegramPosts { get; init; }
    /// <summary>Accounts on each of the three Mastodon-API origins (Mastodon, Truth Social, Gab).</summary>
    public required int AccountsPerFlavor { get; init; }
    public required long PostsPerFlavor { get; init; }
    public required int ForumThreads { get; init; }
    public required long ForumPosts { get; init; }
    public required int JsPages { get; init; }
    public required long JsPosts { get; init; }

    /// <summary>Posts served by version 1 (Telegram, the three API origins, forum, JavaScript pages).</summary>
    public long TotalPosts => TelegramPosts + 3 * PostsPerFlavor + ForumPosts + JsPosts;

    /// <summary>A handful of channels, ~500 posts: the demo crawls it in seconds.</summary>
    public static readonly ReplicaSize Small = new()
    {
        Name = "small",
        TelegramChannels = 5,
        TelegramPosts = 280,
        AccountsPerFlavor = 2,
        PostsPerFlavor = 45,
        ForumThreads = 3,
        ForumPosts = 60,
        JsPages = 1,
        JsPosts = 15,
    };

    public static readonly ReplicaSize Medium = new()
    {
        Name = "medium",
        TelegramChannels = 20,
        TelegramPosts = 40_000,
        AccountsPerFlavor = 10,
        PostsPerFlavor = 10_000,
        ForumThreads = 20,
        ForumPosts = 4_000,
        JsPages = 3,
        JsPosts = 150,
    };

    public static readonly ReplicaSize Large = new()
    {
        Name = "large",
        TelegramChannels = 100,
        TelegramPosts = 2_000_000,
        AccountsPerFlavor = 50,
        PostsPerFlavor = 300_000,
        ForumThreads = 100,
        ForumPosts = 100_000,
        JsPages = 5,
        JsPosts = 500,
    };

    /// <summary>Exactly <paramref name="posts"/> posts in version 1: half Telegram, 10 % per API origin, 15 % forum, the rest JavaScript pages.</summary>
    public static ReplicaSize Posts(long posts)
    {
        if (posts <= 0) throw new UsageException("posts:N needs a positive N.");
        var telegram = posts / 2;
        var flavor = posts / 10;
        var forum = posts * 15 / 100;
        var js = posts - telegram - 3 * flavor - forum;
        return new ReplicaSize
        {
            Name = $"posts:{posts}",
            TelegramChannels = Entities(telegram, 60, 200),
            TelegramPosts = telegram,
            AccountsPerFlavor = Entities(flavor, 30, 200),
            PostsPerFlavor = flavor,
            ForumThreads = Entities(forum, 25, 500),
            ForumPosts = forum,
            JsPages = Entities(js, 20, 20),
            JsPosts = js,
        };
    }

    /// <summary>
    /// <paramref name="channels"/> Telegram channels of 20 posts each (plus the small size's accounts, threads and
    /// page): a long watch list (issue 17's benchmark watches 10,000 channels).
    /// </summary>
    public static ReplicaSize Channels(int channels) => Small with
    {
        Name = $"channels:{channels}",
        TelegramChannels = channels,
        TelegramPosts = 20L * channels,
    };

    /// <summary>Parses <c>small</c>, <c>medium</c>, <c>large</c>, <c>posts:N</c> or <c>channels:N</c>.</summary>
    public static ReplicaSize Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        switch (value)
        {
            case "small": return Small;
            case "medium": return Medium;
            case "large": return Large;
        }
        if (value.StartsWith("channels:", StringComparison.Ordinal)
            && int.TryParse(value.AsSpan(9).ToString().Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var channels) && channels is > 0 and <= 1_000_000)
            return Channels(channels);
        if (value.StartsWith("posts:", StringComparison.Ordinal)
            && long.TryParse(value.AsSpan(6).ToString().Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            return Posts(n);
        throw new UsageException($"Unknown size '{text}': use small, medium, large or posts:N (e.g. posts:100000), or channels:N (e.g. channels:10000).");
    }

    // About sqrt(posts / perEntity) entities: more channels as the network grows, each also longer.
    private static int Entities(long posts, int perEntity, int max) =>
        (int)Math.Clamp(Math.Ceiling(Math.Sqrt(posts / (double)perEntity)), 1, max);

    public override string ToString() => Name;
}
