using System.Globalization;
using System.Text;

namespace Archiver.Replica;

/// <summary>Renders t.me/s pages with the markup of the real web preview (see shared/fixtures/telegram).</summary>
public sealed class TelegramRenderer(TelegramGenerator generator, string origin)
{
    private const string BubbleTail = """
<i class="tgme_widget_message_bubble_tail">
                <svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20">
                <g fill="none">
                <path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 L8,18 C7.807,15.161 7.124,12.233 5.950,9.218 C5.046,6.893 3.504,4.733 1.325,2.738 L1.325,2.738 C0.917,2.365 0.89,1.732 1.263,1.325 C1.452,1.118 1.72,1 2,1 L8,1 Z"></path>
                <path class="border_1x" fill="#d7e3ec" d="M9,1 L2,1 C1.72,1 1.452,1.118 1.263,1.325 C0.89,1.732 0.917,2.365 1.325,2.738 C3.504,4.733 5.046,6.893 5.95,9.218 C7.124,12.233 7.807,15.161 8,18 L8,20 L9,20 L9,1 Z M2,0 L9,0 L9,20 L7,20 L7,20 L7.002,18.068 C6.816,15.333 6.156,12.504 5.018,9.58 C4.172,7.406 2.72,5.371 0.649,3.475 C-0.165,2.729 -0.221,1.464 0.525,0.649 C0.904,0.236 1.439,0 2,0 Z"></path>
                </g>
                </svg>
              </i>
""";

    public string Origin { get; } = origin;

    public static string AvatarPath(TelegramChannel c) => MediaFile.Photo(Mix.Of(c.Stream.Key, 0xA7A7A), false).Path;

    /// <summary>A /s/ page: the channel header and the given posts, with "load more" links where there are more.</summary>
    public byte[] Page(TelegramChannel c, IReadOnlyList<TelegramPost> posts, ReplicaView version, string? query = null)
    {
        var sb = new StringBuilder();
        var title = Html.Escape(c.Title);
        var description = Html.Escape(c.Description);
        var avatar = Origin + AvatarPath(c);
        sb.Append("<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <title>").Append(title).Append(" – Telegram</title>\n")
          .Append("    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0, minimum-scale=1.0, maximum-scale=1.0, user-scalable=no\" />\n")
          .Append("    <meta property=\"og:title\" content=\"").Append(title).Append("\">\n")
          .Append("    <meta property=\"og:image\" content=\"").Append(avatar).Append("\">\n")
          .Append("    <meta property=\"og:site_name\" content=\"Telegram\">\n")
          .Append("    <meta property=\"og:description\" content=\"").Append(description).Append("\">\n")
          .Append("    <link rel=\"canonical\" href=\"").Append(Origin).Append("/s/").Append(c.Name).Append("\"/>\n  </head>\n")
          .Append("  <body class=\"widget_frame_base tgme_webpreview_channel\">\n")
          .Append("    <header class=\"tgme_header search_collapsed\"><div class=\"tgme_header_info\"><a class=\"tgme_header_link\" href=\"").Append(Origin).Append("/s/").Append(c.Name)
          .Append("\"><div class=\"tgme_header_title\"><span dir=\"auto\">").Append(title).Append("</span></div></a></div></header>\n")
          .Append("    <main class=\"tgme_main\" data-url=\"/s/").Append(c.Name).Append("\">\n      <div class=\"tgme_container\">\n");
        ChannelInfo(sb, c, title, description, avatar, version);
        sb.Append("        <section class=\"tgme_channel_history js-message_history\">\n");
        if (posts.Count == 0)
        {
            sb.Append("          <div class=\"tgme_widget_message_wrap js-widget_message_wrap\"><div class=\"tgme_widget_message_centered\"><div class=\"tme_no_messages_found\">No posts found</div></div></div>\n");
        }
        else
        {
            if (generator.HasVisibleBefore(c, posts[0].Index, version)) MoreLink(sb, c, "before", posts[0].Id, query);
            foreach (var post in posts) Message(sb, post);
            var last = posts[^1];
            if (query is null && generator.IndicesAfter(c, last.Id, version, 1).Count > 0) MoreLink(sb, c, "after", last.Id, null);
        }
        sb.Append("        </section>\n      </div>\n    </main>\n  </body>\n</html>\n");
        return Utf8Text.Of(sb);
    }

    /// <summary>The permalink page of one post (/channel/id), as the embed widget shows it.</summary>
    public string PostPage(TelegramPost post)
    {
        var sb = new StringBuilder(6000);
        var c = post.Channel;
        sb.Append("<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n    <title>").Append(Html.Escape(c.Title)).Append(" – Telegram</title>\n")
          .Append("    <meta property=\"og:title\" content=\"").Append(Html.Escape(c.Title)).Append("\">\n")
          .Append("    <meta property=\"og:description\" content=\"").Append(Html.Escape(TelegramMarkup.TextPlain(post))).Append("\">\n")
          .Append("    <link rel=\"canonical\" href=\"").Append(Origin).Append('/').Append(post.DataPost).Append("\"/>\n  </head>\n")
          .Append("  <body class=\"widget_frame_base emoji_image nodark\">\n    <div class=\"tgme_widget_message_centered\">\n");
        Message(sb, post);
        sb.Append("    </div>\n  </body>\n</html>\n");
        return sb.ToString();
    }

    private void ChannelInfo(StringBuilder sb, TelegramChannel c, string title, string description, string avatar, ReplicaView version)
    {
        var posts = c.Stream.Count(version);
        sb.Append("        <section class=\"tgme_right_column\">\n          <div class=\"tgme_channel_info\">\n            <div class=\"tgme_channel_info_header\">\n")
          .Append("              <i class=\"tgme_page_photo_image bgcolor").Append(c.Index % 7).Append("\" data-content=\"").Append(Html.Escape(c.Title[..1])).Append("\"><img src=\"").Append(avatar).Append("\"></i>\n")
          .Append("              <div class=\"tgme_channel_info_header_title_wrap\"><div class=\"tgme_channel_info_header_title\"><span dir=\"auto\">").Append(title).Append("</span></div></div>\n")
          .Append("              <div class=\"tgme_channel_info_header_username\"><a href=\"").Append(Origin).Append('/').Append(c.Name).Append("\">@").Append(c.Name).Append("</a></div>\n")
          .Append("            </div>\n            <div class=\"tgme_channel_info_description\">").Append(description).Append("</div>\n")
          .Append("            <div class=\"tgme_channel_info_counters\">");
        Counter(sb, c.Subscribers, "subscriber");
        Counter(sb, posts * 18 / 100, "photo");
        Counter(sb, posts * 9 / 100, "video");
        Counter(sb, posts * 25 / 100, "link");
        sb.Append("</div>\n          </div>\n        </section>\n");
    }

    private static void Counter(StringBuilder sb, long value, string type) =>
        sb.Append("<div class=\"tgme_channel_info_counter\"><span class=\"counter_value\">").Append(Counts.Short(value))
          .Append("</span> <span class=\"counter_type\">").Append(type).Append(value == 1 ? "" : "s").Append("</span></div>");

    private static void MoreLink(StringBuilder sb, TelegramChannel c, string direction, long id, string? query) =>
        sb.Append("          <div class=\"tgme_widget_message_centered js-messages_more_wrap\"><a href=\"/s/").Append(c.Name).Append('?')
          .Append(query is null ? "" : $"q={Uri.EscapeDataString(query)}&amp;").Append(direction).Append('=').Append(id)
          .Append("\" class=\"tme_messages_more js-messages_more\" data-").Append(direction).Append("=\"").Append(id).Append("\"></a></div>\n");

    // The avatar and author blocks are the same for every message of a channel: build them once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, (string User, string Author)> channelBlocks = new();

    private (string User, string Author) ChannelBlocks(TelegramChannel c) => channelBlocks.GetOrAdd(c.Index, _ =>
    {
        var title = Html.Escape(c.Title);
        var user = $"<div class=\"tgme_widget_message_user\"><a href=\"{Origin}/{c.Name}\"><i class=\"tgme_widget_message_user_photo bgcolor{c.Index % 7}\" data-content=\"{Html.Escape(c.Title[..1])}\"><img src=\"{Origin}{AvatarPath(c)}\"></i></a></div>\n";
        var author = $"<div class=\"tgme_widget_message_author accent_color\"><a class=\"tgme_widget_message_owner_name\" href=\"{Origin}/{c.Name}\"><span dir=\"auto\">{title}</span></a></div>\n";
        return (user, author);
    });

    public void Message(StringBuilder sb, TelegramPost p)
    {
        var c = p.Channel;
        var link = $"{Origin}/{c.Name}/{p.Id}";
        var title = Html.Escape(c.Title);
        var (user, author) = ChannelBlocks(c);
        sb.Append("          <div class=\"tgme_widget_message_wrap js-widget_message_wrap\">\n            <div class=\"tgme_widget_message text_not_supported_wrap ")
          .Append(p.Kind == TgKind.Service ? "service_message " : "").Append("js-widget_message\" data-post=\"").Append(c.Name).Append('/').Append(p.Id)
          .Append("\" data-view=\"").Append(DataView(p)).Append("\">\n              ").Append(user)
          .Append("              <div class=\"tgme_widget_message_bubble\">\n              ").Append(BubbleTail)
          .Append("              ").Append(author);
        if (p.Forward is { } f)
            sb.Append("              <div class=\"tgme_widget_message_forwarded_from accent_color\">Forwarded from&nbsp;<a class=\"tgme_widget_message_forwarded_from_name\" href=\"")
              .Append(Origin).Append('/').Append(f.Source.Name).Append('/').Append(f.SourceId).Append("\"><span dir=\"auto\">").Append(Html.Escape(f.Source.Title)).Append("</span></a></div>\n");
        if (p.ReplyToId is { } reply)
            sb.Append("              <a class=\"tgme_widget_message_reply\" href=\"").Append(Origin).Append('/').Append(c.Name).Append('/').Append(reply)
              .Append("\"><div class=\"tgme_widget_message_author accent_color\"><span class=\"tgme_widget_message_author_name\" dir=\"auto\">").Append(title)
              .Append("</span></div><div class=\"tgme_widget_message_metatext js-message_reply_text\" dir=\"auto\">").Append(Html.Escape(p.ReplySnippet ?? "")).Append("</div></a>\n");
        TelegramMedia.Append(sb, p, Origin, link);
        if (p.Kind == TgKind.Service || !p.Text.IsEmpty)
        {
            sb.Append("              <div class=\"tgme_widget_message_text js-message_text\" dir=\"auto\">");
            TelegramMarkup.AppendTextHtml(sb, p, Origin);
            sb.Append("</div>\n");
        }
        if (p.Preview is { } preview) TelegramMedia.AppendPreview(sb, preview, Origin);
        sb.Append("              <div class=\"tgme_widget_message_footer compact js-message_footer\">\n                <div class=\"tgme_widget_message_info short js-message_info\">");
        if (p.Poll is { } poll)
            sb.Append("<span class=\"tgme_widget_message_voters\">").Append(Counts.Short(poll.Voters)).Append("</span><span class=\"copyonly\"> voters</span>");
        if (p.Kind != TgKind.Service)
            sb.Append("<span class=\"tgme_widget_message_views\">").Append(Counts.Short(p.Views)).Append("</span><span class=\"copyonly\"> views</span>");
        sb.Append("<span class=\"tgme_widget_message_meta\">");
        if (p.Signature is { } sig) sb.Append("<span class=\"tgme_widget_message_from_author\" dir=\"auto\">").Append(Html.Escape(sig)).Append("</span>,&nbsp;");
        if (p.Edited) sb.Append("edited &nbsp;");
        sb.Append("<a class=\"tgme_widget_message_date\" href=\"").Append(link).Append("\"><time datetime=\"")
          .Append(CultureInfo.InvariantCulture, $"{p.Date:yyyy-MM-dd'T'HH:mm:ss}+00:00\" class=\"time\">{p.Date:HH:mm}</time></a></span>\n")
          .Append("                </div>\n              </div>\n            </div>\n          </div>\n        </div>\n");
    }

    private static string DataView(TelegramPost p)
    {
        var json = string.Create(CultureInfo.InvariantCulture,
            $"{{\"c\":-{1_500_000_000 + p.Channel.Index},\"p\":{p.Id},\"t\":{new DateTimeOffset(p.Date).ToUnixTimeSeconds()},\"h\":\"{p.Channel.Stream.Key ^ (ulong)p.Id:x16}\"}}");
        return Convert.ToBase64String(Encoding.ASCII.GetBytes(json)).TrimEnd('=');
    }
}
