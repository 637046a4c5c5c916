using System.Globalization;
using AngleSharp.Dom;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>The channel header of a t.me/s page (or the og: tags and t.me/chan card) as an Author of kind "channel".</summary>
public static class TelegramChannelHeader
{
    public static Author? Parse(IDocument document, Uri page, string host, string? channel) =>
        Parse(document, document.QuerySelector(".tgme_channel_info"), document.QuerySelector(".tgme_page"), page, host, channel);

    /// <summary>The header from the already located <c>tgme_channel_info</c> section or <c>tgme_page</c> card.</summary>
    public static Author? Parse(IDocument document, IElement? info, IElement? card, Uri page, string host, string? channel)
    {
        // Layouts: the t.me/s header (tgme_channel_info_*), the t.me/chan card (tgme_page_*), and the og: tags both carry.
        // Whole-document queries are few on purpose: they run once per page, over twenty messages' worth of markup.
        var meta = MetaTags(document);
        if (info is not null) card = null;
        var scope = (IParentNode?)info ?? card;
        var username = Username(info) ?? channel;
        if (username is null) return null;
        var title = Text(info?.QuerySelector(".tgme_channel_info_header_title"))
                    ?? Text(card?.QuerySelector(".tgme_page_title"))
                    ?? meta.GetValueOrDefault("og:title");
        var description = Text(info?.QuerySelector(".tgme_channel_info_description"))
                          ?? Text(card?.QuerySelector(".tgme_page_description"))
                          ?? meta.GetValueOrDefault("og:description");
        var photo = UrlTools.Resolve(page, scope?.QuerySelector(".tgme_page_photo_image img")?.GetAttribute("src"))
                    ?? UrlTools.Resolve(page, meta.GetValueOrDefault("og:image"));
        var hasHeader = info is not null || card?.QuerySelector(".tgme_page_title") is not null || meta.ContainsKey("og:title");
        if (!hasHeader) return null;

        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        long? subscribers = null;
        foreach (var counter in info?.QuerySelectorAll(".tgme_channel_info_counter") ?? document.QuerySelectorAll(".tgme_channel_info_counters .tgme_channel_info_counter"))
        {
            var valueText = counter.QuerySelector(".counter_value")?.TextContent.Trim();
            var type = counter.QuerySelector(".counter_type")?.TextContent.Trim().ToLowerInvariant();
            if (type is null || !ApproximateCount.TryParse(valueText, out var value, out var approximate)) continue;
            var key = type.TrimEnd('s');
            if (key is "subscriber" or "member")
            {
                subscribers = value;
                if (approximate) extra["subscribers_text"] = valueText!;
            }
            else extra[key + "s"] = value.ToString(CultureInfo.InvariantCulture);
        }
        if (subscribers is null && Text(card?.QuerySelector(".tgme_page_extra")) is { } pageExtra)
        {
            // t.me/chan card: "12 345 subscribers".
            var number = pageExtra.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(p => p.Length > 0 && (char.IsAsciiDigit(p[0]) || p[^1] is 'K' or 'M')).ToList();
            subscribers = ApproximateCount.Parse(string.Join("", number));
        }
        return new Author
        {
            Platform = TelegramPlatform.PlatformName,
            Host = host,
            NativeId = username,
            Handle = username,
            DisplayName = title,
            Description = description,
            Url = $"{UrlTools.Origin(page)}/{username}",
            Kind = "channel",
            Followers = subscribers,
            AvatarUrl = photo,
            Extra = extra,
        };
    }

    private static string? Username(IElement? info)
    {
        var text = Text(info?.QuerySelector(".tgme_channel_info_header_username"));
        if (text is null) return null;
        var name = text.TrimStart('@').Trim();
        return TelegramSeeds.IsChannelName(name) ? name : null;
    }

    /// <summary>The og: properties of the head (or of the whole page when a fragment has no head).</summary>
    private static Dictionary<string, string> MetaTags(IDocument document)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var metas = document.Head?.Children.Where(c => c.LocalName == "meta") ?? [];
        if (document.Head?.Children.Length is null or 0) metas = document.GetElementsByTagName("meta");
        foreach (var meta in metas)
        {
            var property = meta.GetAttribute("property");
            var content = meta.GetAttribute("content")?.Trim();
            if (property is not null && !string.IsNullOrEmpty(content)) tags.TryAdd(property, content);
        }
        return tags;
    }

    private static string? Text(IElement? element)
    {
        var text = HtmlText.ToText(element);
        return text.Length == 0 ? null : text;
    }
}
