using Archiver.Model;

namespace Archiver.Replica;

/// <summary>Telegram posts and channels as records, per the Telegram table of docs/records.md.</summary>
public static class TelegramRecords
{
    public static Post Post(TelegramPost p, string origin, string host)
    {
        var c = p.Channel;
        var extra = new Dictionary<string, string>();
        var views = p.Kind == TgKind.Service ? null : Counts.Short(p.Views);
        if (views is not null && Counts.IsApproximate(views)) extra["views_text"] = views;
        if (p.Edited) extra["edited"] = "true";
        if (p.Poll is { } poll) extra["poll"] = TelegramMarkup.PollJson(poll);
        var service = p.Kind == TgKind.Service;
        return new Post
        {
            Platform = "telegram",
            Host = host,
            NativeId = p.DataPost,
            Url = $"{origin}/{p.DataPost}",
            Channel = c.Name,
            AuthorHandle = c.Name,
            AuthorName = p.Signature ?? c.Title,
            CreatedAt = p.Date,
            Kind = service ? PostKinds.Service : p.Forward is not null ? PostKinds.Forward : p.ReplyToId is not null ? PostKinds.Reply : PostKinds.Post,
            Text = TelegramMarkup.TextPlain(p),
            Html = service || !p.Text.IsEmpty ? TelegramMarkup.TextHtml(p, origin) : null,
            // The language the generator wrote the post in (Telegram itself says none; the archive detects it).
            // Service messages are Telegram's own wording, in no one language.
            Language = service ? null : c.Language.Code,
            ReplyTo = p.ReplyToId is { } r ? $"{c.Name}/{r}" : null,
            ForwardedFrom = p.Forward?.Source.Title,
            ForwardedUrl = p.Forward is { } f ? $"{origin}/{f.Source.Name}/{f.SourceId}" : null,
            Hashtags = p.Text.Hashtags,
            Mentions = p.Text.Mentions,
            Links = p.Text.Links,
            Media = Media(p, origin),
            Views = views is null ? null : Counts.Value(views),
            Extra = extra.Count == 0 ? Model.Post.EmptyExtra : extra,
        };
    }

    private static List<MediaRef> Media(TelegramPost p, string origin)
    {
        var list = new List<MediaRef>();
        foreach (var m in p.Media)
        {
            list.Add(m.Kind switch
            {
                "document" => new MediaRef { Kind = "document", Title = m.Title, Description = m.SizeText },
                "voice" or "video" or "round_video" => new MediaRef { Kind = m.Kind, Url = origin + m.File.Path, DurationSeconds = m.DurationSeconds },
                _ => new MediaRef { Kind = m.Kind, Url = origin + m.File.Path },
            });
            // The page shows a preview image for videos; it is served media like any other (docs/records.md).
            if (m.Kind is "video" or "round_video" && m.Thumb is not null)
                list.Add(new MediaRef { Kind = "thumbnail", Url = origin + m.Thumb.Path, Description = m.Kind });
        }
        if (p.Preview is { } preview)
            list.Add(new MediaRef { Kind = "link_preview", Url = preview.Url, Title = preview.Title, Description = preview.Description });
        return list;
    }

    public static Author Author(TelegramChannel c, string origin, string host, ReplicaView version)
    {
        var subscribers = Counts.Short(c.Subscribers);
        return new Author
        {
            Platform = "telegram",
            Host = host,
            NativeId = c.Name,
            Handle = c.Name,
            DisplayName = c.Title,
            Description = c.Description,
            Url = $"{origin}/s/{c.Name}",
            Kind = "channel",
            Followers = Counts.Value(subscribers),
            AvatarUrl = origin + TelegramRenderer.AvatarPath(c),
            Extra = Counts.IsApproximate(subscribers) ? new Dictionary<string, string> { ["subscribers_text"] = subscribers } : Model.Post.EmptyExtra,
        };
    }
}
