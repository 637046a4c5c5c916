using System.Globalization;
using AngleSharp.Dom;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>The channel header of a t.me/s page (or the og: tags and t.me/chan card) as an Author of kind "channel".</summary>
public static class TelegramChannelHeader
{
    public static Author? Parse(IDocument document, Uri page, string host, string? channel)
    {
        var info = document.QuerySelector(".tgme_channel_info");
        var username = Username(document) ?? channel;
        if (username is null) return null;
        // Layouts: the t.me/s header (tgme_channel_info_*), the t.me/chan card (tgme_page_*), and the og: tags both carry.
        var title = Text(info?.QuerySelector(".tgme_channel_info_header_title"))
                    ?? Text(document.QuerySelector(".tgme_page_title"))
                    ?? Meta(document, "og:title");
        var description = Text(info?.QuerySelector(".tgme_channel_info_description"))
                          ?? Text(document.QuerySelector(".tgme_page_description"))
                          ?? Meta(document, "og:description");
        var photo = UrlTools.Resolve(page, document.QuerySelector(".tgme_channel_info .tgme_page_photo_image img, .tgme_page_photo_image img")?.GetAttribute("src"))
                    ?? UrlTools.Resolve(page, Meta(document, "og:image"));
        var hasHeader = info is not null || document.QuerySelector(".tgme_page_title") is not null || Meta(document, "og:title") is not null;
        if (!hasHeader) return null;

        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        long? subscribers = null;
        foreach (var counter in document.QuerySelectorAll(".tgme_channel_info_counter"))
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
        if (subscribers is null && Text(document.QuerySelector(".tgme_page_extra")) is { } pageExtra)
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

    private static string? Username(IDocument document)
    {
        var text = Text(document.QuerySelector(".tgme_channel_info_header_username"));
        if (text is null) return null;
        var name = text.TrimStart('@').Trim();
        return TelegramSeeds.IsChannelName(name) ? name : null;
    }

    private static string? Meta(IDocument document, string property)
    {
        var value = document.QuerySelector($"meta[property='{property}']")?.GetAttribute("content")?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static string? Text(IElement? element)
    {
        var text = HtmlText.ToText(element);
        return text.Length == 0 ? null : text;
    }
}
