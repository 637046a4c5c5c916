using Archiver.Platforms.Feeds;
using Archiver.Platforms.Mastodon;
using Archiver.Platforms.Parler;
using Archiver.Platforms.Sites;
using Archiver.Platforms.Telegram;

namespace Archiver.Platforms;

/// <summary>The networks Archiver ships with. Adding a network: one folder, one line here, fixture tests.</summary>
public static class KnownPlatforms
{
    /// <summary>In the order seeds are tried: specific forms first, the catch-all URL forms (feeds, sites) last.</summary>
    public static IReadOnlyList<IPlatform> All(SiteProfileCatalog? profiles = null) =>
    [
        new TelegramPlatform(),
        // Each fork before generic Mastodon (its home host is its own).
        .. MastodonForks.All.Select(fork => new MastodonPlatform(fork)),
        new MastodonPlatform(MastodonNetwork.Mastodon),
        new ParlerPlatform(),
        new FeedPlatform(),
        new SitePlatform(profiles ?? SiteProfileCatalog.CreateDefault()),
    ];

    public static PlatformRegistry Registry(SiteProfileCatalog? profiles = null) => new(All(profiles));
}
