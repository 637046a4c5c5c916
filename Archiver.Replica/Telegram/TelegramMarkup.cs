using System.Globalization;
using System.Text;

namespace Archiver.Replica;

/// <summary>The inner HTML of Telegram message texts, shared by the page renderer and the ground truth.</summary>
public static class TelegramMarkup
{
    // The text markup is written in HTML5 serialisation form (<br>, no entities for quotes), so the
    // ground truth's Html equals the inner HTML a DOM parser gives back. Telegram itself writes <br/>
    // and &#39;; both parse to the same DOM.
    public static string TextHtml(TelegramPost post, string origin)
    {
        if (post.ServiceHtml is { } service) return service.Replace("{origin}", origin, StringComparison.Ordinal);
        var sb = new StringBuilder(256);
        AppendText(sb, post.Text, origin);
        return sb.ToString();
    }

    public static void AppendTextHtml(StringBuilder sb, TelegramPost post, string origin)
    {
        if (post.ServiceHtml is { } service) sb.Append(service.Replace("{origin}", origin, StringComparison.Ordinal));
        else AppendText(sb, post.Text, origin);
    }

    public static string TextPlain(TelegramPost post) => post.ServiceText ?? post.Text.Plain();

    public static void AppendText(StringBuilder sb, RichText text, string origin)
    {
        foreach (var s in text.Segments)
        {
            switch (s.Kind)
            {
                case SegmentKind.Text: sb.Append(Html.Text(s.Value)); break;
                case SegmentKind.Break: sb.Append("<br>"); break;
                case SegmentKind.Bold: sb.Append("<b>").Append(Html.Text(s.Value)).Append("</b>"); break;
                case SegmentKind.Hashtag:
                    sb.Append("<a href=\"?q=").Append(Uri.EscapeDataString("#" + s.Value)).Append("\">#").Append(Html.Text(s.Value)).Append("</a>");
                    break;
                case SegmentKind.Mention:
                    sb.Append("<a href=\"").Append(origin).Append('/').Append(s.Value).Append("\">@").Append(s.Value).Append("</a>");
                    break;
                case SegmentKind.Link:
                    sb.Append("<a href=\"").Append(Html.Attribute(s.Value)).Append("\" target=\"_blank\" rel=\"noopener\">").Append(Html.Text(s.Value)).Append("</a>");
                    break;
                case SegmentKind.Emoji:
                    sb.Append("<i class=\"emoji\" style=\"background-image:url('//telegram.org/img/emoji/40/").Append(EmojiCode(s.Value))
                        .Append(".png')\"><b>").Append(s.Value).Append("</b></i>");
                    break;
            }
        }
    }

    private static string EmojiCode(string emoji) => Convert.ToHexString(Encoding.UTF8.GetBytes(emoji));

    public static string Duration(int seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}");

    /// <summary>The poll as <c>Extra["poll"]</c> JSON: question, type, options with percent, voters.</summary>
    public static string PollJson(TgPoll poll)
    {
        using var stream = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(stream, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("question", poll.Question);
            w.WriteString("type", poll.Type);
            w.WriteNumber("voters", poll.Voters);
            w.WriteStartArray("options");
            foreach (var (text, percent) in poll.Options)
            {
                w.WriteStartObject();
                w.WriteString("text", text);
                w.WriteNumber("percent", percent);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
