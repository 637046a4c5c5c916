using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>
/// The media of one message (or of a media fragment): photos, albums, videos, round videos, voice, audio and
/// files, stickers, locations, link previews, and the thumbnails the preview shows for them. Polls are read
/// here too, because they sit where media sits, but they go to <c>Extra["poll"]</c>.
/// </summary>
public static class TelegramMedia
{
    public const string Thumbnail = "thumbnail";

    /// <summary>The classes a message is read by (see <see cref="ClassIndex"/>).</summary>
    public static readonly HashSet<string> Classes = new(StringComparer.Ordinal)
    {
        "tgme_widget_message_text", "tgme_widget_message_meta", "tgme_widget_message_views", "tgme_widget_message_from_author",
        "tgme_widget_message_owner_name", "tgme_widget_message_forwarded_from_name", "tgme_widget_message_reply", "tgme_widget_message_date",
        "tgme_widget_message_footer", "tgme_widget_message_link", "tgme_widget_message_poll", "tgme_widget_message_voters", "grouped_media_wrap",
        "tgme_widget_message_reply_thumb", "tgme_widget_message_link_preview", "tgme_widget_message_photo_wrap", "tgme_widget_message_service_photo",
        "tgme_widget_message_video_player", "tgme_widget_message_roundvideo_player", "tgme_widget_message_voice", "tgme_widget_message_document_wrap",
        "tgme_widget_message_sticker_wrap", "tgme_widget_message_location_wrap",
    };

    public static List<MediaRef> Extract(IElement scope, Uri page) => Extract(new ClassIndex(scope, Classes), page);

    public static List<MediaRef> Extract(ClassIndex index, Uri page)
    {
        var media = new List<MediaRef>();
        // One pass in document order keeps album items in the order the channel posted them.
        foreach (var (element, cls) in index.Ordered)
        {
            if (cls is "tgme_widget_message_link_preview")
            {
                if (!ClassIndex.IsInside(element, "tgme_widget_message_reply")) AddLinkPreview(element, page, media);
                continue;
            }
            if (!IsMediaClass(cls)) continue;
            if (ClassIndex.IsInside(element, "tgme_widget_message_reply") || ClassIndex.IsInside(element, "tgme_widget_message_link_preview")) continue;
            switch (cls)
            {
                case "tgme_widget_message_photo_wrap": AddPhoto(element, page, media); break;
                case "tgme_widget_message_service_photo": AddServicePhoto(element, page, media); break;
                case "tgme_widget_message_video_player": AddVideo(element, page, media); break;
                case "tgme_widget_message_roundvideo_player": AddRoundVideo(element, page, media); break;
                case "tgme_widget_message_voice" when element.LocalName == "audio": AddVoice(element, page, media); break;
                case "tgme_widget_message_document_wrap": AddDocument(element, media); break;
                case "tgme_widget_message_sticker_wrap": AddSticker(element, page, media); break;
                case "tgme_widget_message_location_wrap": AddLocation(element, page, media); break;
            }
        }
        foreach (var thumb in index.All("tgme_widget_message_reply_thumb"))
        {
            var url = UrlTools.CssBackground(page, thumb.GetAttribute("style"));
            if (url is not null) media.Add(new MediaRef { Kind = Thumbnail, Url = url, Description = "reply" });
        }
        return media;
    }

    private static bool IsMediaClass(string cls) => cls is "tgme_widget_message_photo_wrap" or "tgme_widget_message_service_photo"
        or "tgme_widget_message_video_player" or "tgme_widget_message_roundvideo_player" or "tgme_widget_message_voice"
        or "tgme_widget_message_document_wrap" or "tgme_widget_message_sticker_wrap" or "tgme_widget_message_location_wrap";

    /// <summary>The ids of an album's items (<c>href=".../85?single"</c>) in <paramref name="channel"/>, in order.</summary>
    public static List<long> AlbumIds(ClassIndex index, string channel)
    {
        var ids = new List<long>();
        foreach (var item in index.All("grouped_media_wrap"))
        {
            // An album's items are messages of the same channel; anything else is not part of this listing.
            if (TelegramPaths.TryPostId(item.GetAttribute("href"), out var itemChannel, out var id) && itemChannel == channel) ids.Add(id);
        }
        return ids;
    }

    private static void AddPhoto(IElement element, Uri page, List<MediaRef> media)
    {
        var url = UrlTools.CssBackground(page, element.GetAttribute("style"))
                  ?? UrlTools.CssBackground(page, element.QuerySelector(".tgme_widget_message_photo")?.GetAttribute("style"));
        media.Add(new MediaRef { Kind = "photo", Url = url, Mime = MimeFromUrl(url) });
    }

    private static void AddServicePhoto(IElement element, Uri page, List<MediaRef> media)
    {
        var url = UrlTools.Resolve(page, element.QuerySelector("img")?.GetAttribute("src"))
                  ?? UrlTools.CssBackground(page, element.GetAttribute("style"));
        media.Add(new MediaRef { Kind = "photo", Url = url, Mime = MimeFromUrl(url), Description = "channel photo" });
    }

    private static void AddVideo(IElement element, Uri page, List<MediaRef> media)
    {
        var video = element.QuerySelector("video.js-message_video") ?? element.QuerySelector("video");
        var src = UrlTools.Resolve(page, video?.GetAttribute("src"));
        var duration = UrlTools.Duration(element.QuerySelector(".message_video_duration")?.TextContent);
        var label = element.QuerySelector(".message_media_not_supported_label")?.TextContent.Trim();
        // "Media is too big": the preview shows only a thumbnail and no file (class not_supported since 2022).
        var tooBig = src is null && (element.ClassList.Contains("not_supported") || label?.Contains("too big", StringComparison.OrdinalIgnoreCase) == true);
        // Animations (GIFs) are looping, muted videos without a duration badge.
        var gif = video is not null && video.HasAttribute("loop") && video.HasAttribute("autoplay") && duration is null;
        media.Add(new MediaRef
        {
            Kind = gif ? "gif" : "video",
            Url = src,
            Mime = src is null ? null : "video/mp4",
            Width = PixelWidth(element.QuerySelector(".tgme_widget_message_video_wrap")?.GetAttribute("style")),
            DurationSeconds = duration,
            Description = tooBig ? "Media is too big" : null,
        });
        AddThumbnail(element.QuerySelector(".tgme_widget_message_video_thumb"), page, gif ? "gif" : "video", media);
    }

    private static void AddRoundVideo(IElement element, Uri page, List<MediaRef> media)
    {
        var src = UrlTools.Resolve(page, element.QuerySelector("video")?.GetAttribute("src"));
        media.Add(new MediaRef
        {
            Kind = "round_video",
            Url = src,
            Mime = src is null ? null : "video/mp4",
            DurationSeconds = UrlTools.Duration(element.QuerySelector(".tgme_widget_message_roundvideo_duration")?.TextContent),
        });
        AddThumbnail(element.QuerySelector(".tgme_widget_message_roundvideo_thumb"), page, "round_video", media);
    }

    private static void AddVoice(IElement audio, Uri page, List<MediaRef> media)
    {
        var src = UrlTools.Resolve(page, audio.GetAttribute("src"));
        var player = audio.Closest(".tgme_widget_message_voice_player") ?? audio.ParentElement;
        media.Add(new MediaRef
        {
            Kind = "voice",
            Url = src,
            Mime = audio.HasAttribute("data-ogg") ? "audio/ogg" : null,
            DurationSeconds = UrlTools.Duration(player?.QuerySelector(".tgme_widget_message_voice_duration")?.TextContent),
        });
    }

    private static void AddDocument(IElement element, List<MediaRef> media)
    {
        // The preview links files to the post, not to the file: the bytes are only in the app.
        var isAudio = element.QuerySelector(".tgme_widget_message_document_icon")?.ClassList.Contains("audio") == true;
        media.Add(new MediaRef
        {
            Kind = isAudio ? "audio" : "document",
            Title = Text(element.QuerySelector(".tgme_widget_message_document_title")),
            Description = Text(element.QuerySelector(".tgme_widget_message_document_extra")),
        });
    }

    private static void AddSticker(IElement element, Uri page, List<MediaRef> media)
    {
        string? url = null, mime = null;
        if (element.QuerySelector(".tgme_widget_message_sticker") is { } image)
        {
            url = UrlTools.Resolve(page, image.GetAttribute("data-webp"));
            mime = url is null ? null : "image/webp";
        }
        if (url is null && element.QuerySelector("video") is { } video)
        {
            url = UrlTools.Resolve(page, video.GetAttribute("src"));
            mime = url is null ? null : "video/webm";
        }
        if (url is null && element.QuerySelector("source[type='application/x-tgsticker']") is { } animated)
        {
            url = UrlTools.Resolve(page, animated.GetAttribute("srcset"));
            mime = url is null ? null : "application/x-tgsticker";
        }
        media.Add(new MediaRef { Kind = "sticker", Url = url, Mime = mime });
    }

    private static void AddLocation(IElement element, Uri page, List<MediaRef> media)
    {
        var map = UrlTools.CssBackground(page, element.QuerySelector(".tgme_widget_message_location")?.GetAttribute("style"));
        media.Add(new MediaRef
        {
            Kind = "location",
            Url = map,
            Title = Coordinates(element.GetAttribute("href")),
            Description = UrlTools.Resolve(page, element.GetAttribute("href")),
        });
    }

    private static void AddLinkPreview(IElement element, Uri page, List<MediaRef> media)
    {
        var image = element.QuerySelector(".link_preview_image, .link_preview_right_image, .link_preview_video_thumb");
        media.Add(new MediaRef
        {
            Kind = "link_preview",
            Url = UrlTools.CssBackground(page, image?.GetAttribute("style")),
            Title = Text(element.QuerySelector(".link_preview_title")),
            Description = Text(element.QuerySelector(".link_preview_description")),
        });
        if (element.QuerySelector("video.link_preview_video") is { } video && UrlTools.Resolve(page, video.GetAttribute("src")) is { } src)
        {
            media.Add(new MediaRef
            {
                Kind = "video",
                Url = src,
                Mime = "video/mp4",
                DurationSeconds = UrlTools.Duration(element.QuerySelector(".message_video_duration")?.TextContent),
                Description = "link_preview",
            });
        }
    }

    private static void AddThumbnail(IElement? thumb, Uri page, string of, List<MediaRef> media)
    {
        var url = UrlTools.CssBackground(page, thumb?.GetAttribute("style"));
        if (url is not null) media.Add(new MediaRef { Kind = Thumbnail, Url = url, Description = of });
    }

    /// <summary>The poll as JSON for <c>Extra["poll"]</c>, or null when the scope has none.</summary>
    public static string? PollJson(IElement scope) => PollJson(new ClassIndex(scope, Classes));

    public static string? PollJson(ClassIndex index)
    {
        var poll = index.First("tgme_widget_message_poll");
        if (poll is null) return null;
        var type = Text(poll.QuerySelector(".tgme_widget_message_poll_type")) ?? "";
        var voters = ApproximateCount.Parse(index.First("tgme_widget_message_voters")?.TextContent);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("question", Text(poll.QuerySelector(".tgme_widget_message_poll_question")) ?? "");
            json.WriteString("type", type);
            json.WriteBoolean("quiz", type.Contains("quiz", StringComparison.OrdinalIgnoreCase));
            json.WriteBoolean("multiple", poll.ClassList.Contains("multiple"));
            if (voters is { } v) json.WriteNumber("voters", v);
            json.WriteStartArray("options");
            foreach (var option in poll.QuerySelectorAll(".tgme_widget_message_poll_option"))
            {
                json.WriteStartObject();
                json.WriteString("text", Text(option.QuerySelector(".tgme_widget_message_poll_option_text")) ?? "");
                var percent = Text(option.QuerySelector(".tgme_widget_message_poll_option_percent"))?.TrimEnd('%');
                if (int.TryParse(percent, NumberStyles.None, CultureInfo.InvariantCulture, out var p)) json.WriteNumber("percent", p);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string? Text(IElement? element)
    {
        var text = HtmlText.ToText(element);
        return text.Length == 0 ? null : text;
    }

    private static string? Coordinates(string? mapsHref)
    {
        if (mapsHref is null) return null;
        var q = mapsHref.IndexOf("q=", StringComparison.Ordinal);
        if (q < 0) return null;
        var end = mapsHref.IndexOf('&', q);
        return end < 0 ? mapsHref[(q + 2)..] : mapsHref[(q + 2)..end];
    }

    private static int? PixelWidth(string? style)
    {
        if (style is null) return null;
        var at = style.IndexOf("width:", StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + "width:".Length;
        var end = style.IndexOf("px", start, StringComparison.Ordinal);
        if (end < 0) return null;
        return int.TryParse(style.AsSpan(start, end - start).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : null;
    }

    private static string? MimeFromUrl(string? url) =>
        url is null ? null
        : url.Contains(".jpg", StringComparison.OrdinalIgnoreCase) || url.Contains(".jpeg", StringComparison.OrdinalIgnoreCase) ? "image/jpeg"
        : url.Contains(".png", StringComparison.OrdinalIgnoreCase) ? "image/png"
        : url.Contains(".webp", StringComparison.OrdinalIgnoreCase) ? "image/webp"
        : null;
}
