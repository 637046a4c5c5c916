using System.Globalization;
using System.Text;

namespace Archiver.Replica;

/// <summary>The media blocks of a Telegram message: photos, albums, videos, round videos, voice, files, polls, link previews.</summary>
internal static class TelegramMedia
{
    public static void Append(StringBuilder sb, TelegramPost p, string origin, string link)
    {
        switch (p.Kind)
        {
            case TgKind.Photo: Photo(sb, p.Media[0].File, origin, link); break;
            case TgKind.Album: Album(sb, p.Media, origin, link); break;
            case TgKind.Video: Video(sb, p.Media[0], origin, link); break;
            case TgKind.RoundVideo: Round(sb, p.Media[0], origin, link); break;
            case TgKind.Voice: Voice(sb, p.Media[0], origin, link); break;
            case TgKind.Document: Document(sb, p.Media[0], link); break;
            case TgKind.Poll: Poll(sb, p.Poll!, link); break;
        }
    }

    private static void Photo(StringBuilder sb, MediaFile f, string origin, string link) =>
        sb.Append("              <a class=\"tgme_widget_message_photo_wrap ").Append(f.Key % 10_000_000_000UL).Append(' ').Append(f.Key >> 40).Append('_').Append(f.Key & 0xFFFFFF)
          .Append("\" href=\"").Append(link).Append("\" style=\"width:").Append(f.Width * 10).Append("px;background-image:url('").Append(origin).Append(f.Path)
          .Append("')\">\n                <div class=\"tgme_widget_message_photo\" style=\"padding-top:")
          .Append((100.0 * f.Height / f.Width).ToString("0.###", CultureInfo.InvariantCulture)).Append("%\"></div>\n              </a>\n");

    private static void Album(StringBuilder sb, IReadOnlyList<TgMedia> media, string origin, string link)
    {
        sb.Append("              <div class=\"tgme_widget_message_grouped_wrap js-message_grouped_wrap\" data-margin-w=\"2\" data-margin-h=\"2\" style=\"width:453px;\">\n")
          .Append("                <div class=\"tgme_widget_message_grouped js-message_grouped\" style=\"padding-top:47.682%\">\n")
          .Append("                  <div class=\"tgme_widget_message_grouped_layer js-message_grouped_layer\" style=\"width:453px;height:216px\">\n");
        var left = 0;
        for (var k = 0; k < media.Count; k++)
        {
            var width = 453 / media.Count - 2;
            sb.Append("                    <a class=\"tgme_widget_message_photo_wrap grouped_media_wrap blured js-message_photo\" style=\"left:").Append(left)
              .Append("px;top:0px;width:").Append(width).Append("px;height:216px;margin-right:2px;margin-bottom:0px;background-image:url('").Append(origin).Append(media[k].File.Path)
              .Append("')\" data-ratio=\"1\" href=\"").Append(link).Append("?single\"><div class=\"grouped_media_helper\"><div class=\"tgme_widget_message_photo grouped_media\"></div></div></a>\n");
            left += width + 2;
        }
        sb.Append("                  </div>\n                </div>\n              </div>\n");
    }

    private static void Video(StringBuilder sb, TgMedia m, string origin, string link) =>
        sb.Append("              <a class=\"tgme_widget_message_video_player js-message_video_player\" href=\"").Append(link)
          .Append("\"><i class=\"tgme_widget_message_video_thumb\" style=\"background-image:url('").Append(origin).Append(m.Thumb!.Path).Append("')\"></i>\n")
          .Append("                <div class=\"tgme_widget_message_video_wrap\" style=\"width:").Append(m.File.Width).Append("px;padding-top:75%\">\n")
          .Append("                  <video class=\"tgme_widget_message_video js-message_video\" src=\"").Append(origin).Append(m.File.Path)
          .Append("\" width=\"100%\" height=\"100%\" preload muted autoplay loop playsinline disablepictureinpicture></video>\n")
          .Append("                </div>\n                <div class=\"message_video_play js-message_video_play\"></div>\n")
          .Append("                <time class=\"message_video_duration js-message_video_duration\">").Append(TelegramMarkup.Duration(m.DurationSeconds)).Append("</time>\n              </a>\n");

    private static void Round(StringBuilder sb, TgMedia m, string origin, string link) =>
        sb.Append("              <div class=\"tgme_widget_message_roundvideo_player js-message_roundvideo_player\">\n                <div class=\"tgme_widget_message_roundvideo_wrap\">\n")
          .Append("                  <i class=\"tgme_widget_message_roundvideo_thumb\" style=\"background-image:url('").Append(origin).Append(m.Thumb!.Path).Append("')\"></i>\n")
          .Append("                  <video class=\"tgme_widget_message_roundvideo js-message_roundvideo\" src=\"").Append(origin).Append(m.File.Path)
          .Append("\" width=\"100%\" height=\"100%\" preload muted autoplay loop playsinline disablepictureinpicture></video>\n")
          .Append("                  <div class=\"tgme_widget_message_roundvideo_muted\"></div>\n                  <div class=\"tgme_widget_message_roundvideo_border\"></div>\n                </div>\n")
          .Append("                <div class=\"message_media_not_supported_wrap js-message_roundvideo_not_supported\"><div class=\"message_media_not_supported\"><div class=\"message_media_not_supported_label\">This media is not supported in your browser</div><a href=\"")
          .Append(link).Append("\" class=\"message_media_view_in_telegram\">VIEW IN TELEGRAM</a></div></div>\n")
          .Append("                <div class=\"tgme_widget_message_roundvideo_play js-message_roundvideo_play\"></div>\n")
          .Append("                <time class=\"tgme_widget_message_roundvideo_duration js-message_roundvideo_duration\">").Append(TelegramMarkup.Duration(m.DurationSeconds)).Append("</time>\n              </div>\n");

    private static void Voice(StringBuilder sb, TgMedia m, string origin, string link)
    {
        sb.Append("              <a class=\"tgme_widget_message_voice_player js-message_voice_player\" href=\"").Append(link).Append("\">\n")
          .Append("                <audio class=\"tgme_widget_message_voice js-message_voice\" src=\"").Append(origin).Append(m.File.Path).Append("\" width=\"100%\" height=\"100%\" preload></audio>\n")
          .Append("                <div class=\"tgme_widget_message_voice_play accent_bghover\"></div>\n                <div class=\"tgme_widget_message_voice_wrap\">\n")
          .Append("                  <div class=\"tgme_widget_message_voice_progress_wrap js-message_voice_progress_wrap\"><div class=\"tgme_widget_message_voice_progress_bg\"><div class=\"bar\">");
        for (var k = 0; k < 12; k++) sb.Append("<s style=\"height:").Append((int)(m.File.Key >> (k * 5) & 0x3F) + 20).Append("%;\"></s>");
        sb.Append("</div></div><div class=\"tgme_widget_message_voice_progress js-message_voice_progress\"></div></div>\n")
          .Append("                  <time class=\"tgme_widget_message_voice_duration js-message_voice_duration\">").Append(TelegramMarkup.Duration(m.DurationSeconds)).Append("</time>\n")
          .Append("                </div>\n              </a>\n");
    }

    private static void Document(StringBuilder sb, TgMedia m, string link) =>
        sb.Append("              <a class=\"tgme_widget_message_document_wrap\" href=\"").Append(link).Append("\">\n")
          .Append("                <div class=\"tgme_widget_message_document_icon accent_bg\"></div>\n                <div class=\"tgme_widget_message_document\">\n")
          .Append("                  <div class=\"tgme_widget_message_document_title accent_color\" dir=\"auto\">").Append(Html.Escape(m.Title ?? "")).Append("</div>\n")
          .Append("                  <div class=\"tgme_widget_message_document_extra\" dir=\"auto\">").Append(m.SizeText).Append("</div>\n")
          .Append("                </div>\n              </a>\n");

    private static void Poll(StringBuilder sb, TgPoll poll, string link)
    {
        sb.Append("              <div class=\"tgme_widget_message_poll js-poll\">\n                <div class=\"tgme_widget_message_poll_question\">").Append(Html.Escape(poll.Question))
          .Append("</div>\n                <div class=\"tgme_widget_message_poll_type\">").Append(poll.Type).Append("</div>\n")
          .Append("                <a class=\"tgme_widget_message_poll_options\" href=\"").Append(link).Append("\">");
        foreach (var (text, percent) in poll.Options)
        {
            sb.Append("<div class=\"tgme_widget_message_poll_option\"><div class=\"tgme_widget_message_poll_option_percent\">").Append(percent)
              .Append("%</div><div class=\"tgme_widget_message_poll_option_value\"><div class=\"tgme_widget_message_poll_option_text\">").Append(Html.Escape(text))
              .Append("</div><div class=\"tgme_widget_message_poll_option_bar accent_bg\" style=\"width:").Append(percent).Append("%\"></div></div></div>");
        }
        sb.Append("</a>\n              </div>\n");
    }

    public static void AppendPreview(StringBuilder sb, TgPreview preview, string origin)
    {
        sb.Append("              <a class=\"tgme_widget_message_link_preview\" href=\"").Append(Html.Escape(preview.Url)).Append("\">\n")
          .Append("                <div class=\"link_preview_site_name accent_color\" dir=\"auto\">").Append(Html.Escape(preview.SiteName)).Append("</div>\n");
        if (preview.Image is { } image)
            sb.Append("                <i class=\"link_preview_image\" style=\"background-image:url('").Append(origin).Append(image.Path).Append("');padding-top:75%\"></i>\n");
        sb.Append("                <div class=\"link_preview_title\" dir=\"auto\">").Append(Html.Escape(preview.Title)).Append("</div>\n")
          .Append("                <div class=\"link_preview_description\" dir=\"auto\">").Append(Html.Escape(preview.Description)).Append("</div>\n")
          .Append("              </a>\n");
    }
}
