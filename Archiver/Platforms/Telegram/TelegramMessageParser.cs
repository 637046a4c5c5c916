using System.Globalization;
using AngleSharp.Dom;
using Archiver.Model;
using Archiver.Platforms.Common;

namespace Archiver.Platforms.Telegram;

/// <summary>One <c>tgme_widget_message</c> element into a <see cref="Post"/>, filled as docs/records.md says.</summary>
public static class TelegramMessageParser
{
    /// <summary>A parsed message and the ids its album covers (the first id is the message's own).</summary>
    public sealed record Message(Post Post, long Id, IReadOnlyList<long> AlbumIds, string? ChannelTitle);

    public static Message? Parse(IElement message, Uri page, string host, out string? problem)
    {
        problem = null;
        if (!TryIdentity(message, out var channel, out var id))
        {
            problem = "message without a readable data-post or date link";
            return null;
        }
        var origin = UrlTools.Origin(page);
        var index = new ClassIndex(message, TelegramMedia.Classes);
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        var isService = message.ClassList.Contains("service_message");

        var textElement = MainText(index);
        var text = HtmlText.ToText(textElement);
        var html = textElement?.InnerHtml.Trim();

        var meta = index.First("tgme_widget_message_meta");
        if (meta is not null && meta.TextContent.Contains("edited", StringComparison.OrdinalIgnoreCase)) extra["edited"] = "true";

        var viewsText = index.First("tgme_widget_message_views")?.TextContent.Trim();
        long? views = null;
        if (ApproximateCount.TryParse(viewsText, out var viewCount, out var approximate))
        {
            views = viewCount;
            if (approximate) extra["views_text"] = viewsText!;
        }

        var signature = NonEmpty(HtmlText.ToText(index.First("tgme_widget_message_from_author")));
        var owner = NonEmpty(HtmlText.ToText(index.First("tgme_widget_message_owner_name")));

        var forward = index.First("tgme_widget_message_forwarded_from_name");
        var forwardedFrom = forward is null ? null : NonEmpty(HtmlText.ToText(forward));
        var forwardedUrl = UrlTools.Resolve(page, forward?.GetAttribute("href"));

        string? replyTo = null;
        var reply = index.All("tgme_widget_message_reply").FirstOrDefault(e => e.LocalName == "a");
        if (reply is not null && TelegramPaths.TryPostId(reply.GetAttribute("href"), out var replyChannel, out var replyId))
            replyTo = $"{replyChannel}/{replyId}";

        var media = TelegramMedia.Extract(index, page);
        var albumIds = TelegramMedia.AlbumIds(index, channel);
        if (albumIds.Count > 1) extra["album_ids"] = string.Join(",", albumIds.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        if (TelegramMedia.PollJson(index) is { } poll) extra["poll"] = poll;
        if (media.FirstOrDefault(m => m.Kind == "link_preview") is not null &&
            index.All("tgme_widget_message_link_preview").FirstOrDefault(e => e.LocalName == "a") is { } preview)
        {
            if (UrlTools.Resolve(page, preview.GetAttribute("href")) is { } previewUrl) extra["preview_url"] = previewUrl;
            if (NonEmpty(HtmlText.ToText(preview.QuerySelector(".link_preview_site_name"))) is { } site) extra["preview_site_name"] = site;
        }
        if (media.FirstOrDefault(m => m.Kind == "location") is { } location)
        {
            if (location.Title is not null) extra["location"] = location.Title;
            if (location.Description is not null) extra["location_url"] = location.Description;
        }
        extra["type"] = ContentType(isService, extra.ContainsKey("poll"), media);

        var (hashtags, mentions, links) = Entities(textElement, text, page);

        var post = new Post
        {
            Platform = TelegramPlatform.PlatformName,
            Host = host,
            NativeId = $"{channel}/{id}",
            Url = $"{origin}/{channel}/{id}",
            Channel = channel,
            AuthorId = channel,
            AuthorHandle = channel,
            AuthorName = signature ?? owner,
            CreatedAt = Date(index),
            Kind = isService ? PostKinds.Service : forwardedFrom is not null ? PostKinds.Forward : replyTo is not null ? PostKinds.Reply : PostKinds.Post,
            Text = text,
            Html = string.IsNullOrEmpty(html) ? null : html,
            ReplyTo = replyTo,
            ForwardedFrom = forwardedFrom,
            ForwardedUrl = forwardedUrl,
            Hashtags = hashtags,
            Mentions = mentions,
            Links = links,
            Media = media,
            Views = views,
            Extra = extra,
        };
        if (signature is not null) extra["signature"] = signature;
        return new Message(post, id, albumIds.Count > 0 ? albumIds : [id], owner);
    }

    private static bool TryIdentity(IElement message, out string channel, out long id)
    {
        if (TelegramPaths.TryDataPost(message.GetAttribute("data-post"), out channel, out id)) return true;
        // Embed widgets (t.me/chan/123?embed=1, 2018 markup) carry no data-post: the date link names the post.
        var link = message.QuerySelector("a.tgme_widget_message_date") ?? message.QuerySelector(".tgme_widget_message_link a");
        return TelegramPaths.TryPostId(link?.GetAttribute("href"), out channel, out id);
    }

    /// <summary>The message's own text: not the quoted text of a reply, and the inner one of an album's nested pair.</summary>
    private static IElement? MainText(ClassIndex index)
    {
        var candidates = index.All("tgme_widget_message_text");
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            if (ClassIndex.IsInside(candidate, "tgme_widget_message_reply") || ClassIndex.IsInside(candidate, "tgme_widget_message_link_preview")) continue;
            // Albums nest the caption in a second text element; the inner one is the caption itself.
            return i + 1 < candidates.Count && candidate.Contains(candidates[i + 1]) ? candidates[i + 1] : candidate;
        }
        return null;
    }

    private static DateTime? Date(ClassIndex index)
    {
        var time = index.First("tgme_widget_message_date")?.QuerySelector("time[datetime]") ?? index.First("tgme_widget_message_footer")?.QuerySelector("time[datetime]");
        var value = time?.GetAttribute("datetime")?.Trim();
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;
    }

    private static (List<string> Hashtags, List<string> Mentions, List<string> Links) Entities(IElement? textElement, string text, Uri page)
    {
        var hashtags = new List<string?>();
        var mentions = new List<string?>();
        var links = new List<string?>();
        if (textElement is not null)
        {
            foreach (var anchor in textElement.QuerySelectorAll("a[href]"))
            {
                var href = anchor.GetAttribute("href")!;
                var label = anchor.TextContent.Trim();
                // Service messages name the channel with a link to itself ("X pinned «...»"): not a link of the text.
                if (anchor.ClassList.Contains("tgme_widget_message_author_name")) continue;
                // Hashtags link to the channel's own search (?q=%23tag); mentions link to t.me/username.
                if (href.StartsWith("?q=", StringComparison.Ordinal) || (label.StartsWith('#') && href.Contains("?q=", StringComparison.Ordinal)))
                {
                    hashtags.Add(label.TrimStart('#'));
                    continue;
                }
                if (label.StartsWith('@') && TelegramSeeds.IsChannelName(label[1..]) && IsTelegramProfileLink(href, page))
                {
                    mentions.Add(label[1..]);
                    continue;
                }
                links.Add(UrlTools.Resolve(page, href));
            }
        }
        hashtags.AddRange(TextEntities.Hashtags(text));
        mentions.AddRange(TextEntities.Mentions(text).Where(m => !m.Contains('@')));
        return (TextEntities.Distinct(hashtags), TextEntities.Distinct(mentions), TextEntities.Distinct(links));
    }

    private static bool IsTelegramProfileLink(string href, Uri page)
    {
        if (!Uri.TryCreate(page, href, out var url)) return false;
        var host = url.Host.ToLowerInvariant();
        return host is "t.me" or "telegram.me" || string.Equals(url.Authority, page.Authority, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>What the message mainly is, in the spirit of tchan's <c>type</c> (kept in <c>Extra["type"]</c>).</summary>
    private static string ContentType(bool service, bool poll, List<MediaRef> media)
    {
        if (service) return "service";
        if (poll) return "poll";
        var kinds = media.Where(m => m.Kind is not (TelegramMedia.Thumbnail or "link_preview") && m.Description != "link_preview")
            .Select(m => m.Kind).Distinct().ToList();
        return kinds.Count switch
        {
            0 => "text",
            1 => kinds[0],
            _ => "multimedia",
        };
    }

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;
}
