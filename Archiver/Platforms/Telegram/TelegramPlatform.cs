using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>Public Telegram channels through the t.me/s web preview (no login, no API key).</summary>
public sealed class TelegramPlatform : IPlatform
{
    public const string PlatformName = "telegram";

    /// <summary>Priority of a channel's newest page; each older page gets one less, so the newest are fetched first.</summary>
    public const int NewestPriority = 1000;

    public string Name => PlatformName;

    public bool TryParseSeed(string seed, out Seed parsed) => TelegramSeeds.TryParse(seed, out parsed);

    public IEnumerable<CrawlRequest> Start(Seed seed)
    {
        var origin = seed.BaseUrl ?? TelegramSeeds.DefaultBase;
        if (seed.Kind == "post")
        {
            var slash = seed.Value.IndexOf('/');
            yield return new CrawlRequest
            {
                Url = new Uri($"{origin}/{seed.Value}?embed=1"),
                Platform = PlatformName,
                Purpose = TelegramPageParser.PurposePostEmbed,
                Priority = NewestPriority,
                SeedOriginal = seed.Original,
                Context = new Dictionary<string, string> { [TelegramPaging.ContextChannel] = seed.Value[..slash] },
            };
            yield break;
        }
        yield return new CrawlRequest
        {
            Url = new Uri($"{origin}/s/{seed.Value}"),
            Platform = PlatformName,
            Purpose = TelegramPageParser.PurposeChannelPage,
            Priority = NewestPriority,
            SeedOriginal = seed.Original,
            Context = new Dictionary<string, string> { [TelegramPaging.ContextChannel] = seed.Value },
        };
    }

    public bool CanParse(Uri url)
    {
        var host = url.Host.ToLowerInvariant();
        if (host is not ("t.me" or "telegram.me")) return false;
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && segments[0] == "s") segments = segments[1..];
        return segments.Length is 1 or 2 && TelegramSeeds.IsChannelName(segments[0]);
    }

    /// <summary>A t.me preview page on a mirror or replica: its message or empty-channel markup.</summary>
    public bool RecognisesCapture(Uri url, string? contentType, ReadOnlySpan<byte> head) =>
        head.IndexOf("tgme_widget_message"u8) >= 0 || head.IndexOf("tme_no_messages_found"u8) >= 0;

    public ParseResult Parse(FetchedPage page) => TelegramPageParser.Parse(page);
}
