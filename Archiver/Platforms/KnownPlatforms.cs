using Archiver.Platforms.Feeds;
using Archiver.Platforms.Mastodon;
using Archiver.Platforms.Parler;
using Archiver.Platforms.Sites;
using Archiver.Platforms.Snscrape;
using Archiver.Platforms.Telegram;
using Archiver.Platforms.Twitter;

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

    /// <summary>
    /// The networks' dataset formats, in the order <c>--format auto</c> tries them on a file's first lines (the
    /// import adds its generic ones: the benchmark corpus first, Archiver's own export by its rows).
    /// </summary>
    public static IReadOnlyList<IDatasetFormat> DatasetFormats { get; } =
    [
        new ParlerDatasetFormat(),
        new SnscrapeFormat(),
        new TwarcFormat(),
        new MastodonFormat(),
    ];

    public static PlatformRegistry Registry(SiteProfileCatalog? profiles = null) => new(All(profiles));
}
