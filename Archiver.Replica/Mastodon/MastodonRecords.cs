using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Archiver.Model;

namespace Archiver.Replica;

/// <summary>Statuses and accounts of the Mastodon-API origins as records, per docs/records.md.</summary>
public static class MastodonRecords
{
    public static Post Post(ApiStatus s, MastodonJson json, string host)
    {
        var extra = new Dictionary<string, string>();
        if (s.SpoilerText.Length > 0) extra["spoiler_text"] = s.SpoilerText;
        extra["visibility"] = s.Visibility;
        if (s.Sensitive) extra["sensitive"] = "true";
        if (s.Poll is { } poll) extra["poll"] = PollJson(poll);
        if (s.Card is { } card) extra["card_url"] = card.Url;
        if (s.QuoteId is { } quote) extra["quote_id"] = MastodonJson.Id(quote);
        if (s.Reblog is { } original) extra["reblog_of"] = MastodonJson.Id(original.Id);
        var content = json.Content(s.Text);
        return new Post
        {
            Platform = ReplicaEndpoints.PlatformOf(json.Flavor),
            Host = host,
            NativeId = MastodonJson.Id(s.Id),
            Url = json.StatusUrl(s),
            AuthorId = MastodonJson.Id(s.Account.Id),
            AuthorHandle = s.Account.Username,
            AuthorName = s.Account.DisplayName,
            CreatedAt = s.CreatedAt,
            EditedAt = s.EditedAt,
            Kind = s.Reblog is not null ? PostKinds.Reblog : s.InReplyToId is not null ? PostKinds.Reply : PostKinds.Post,
            Text = s.Text.Plain(),
            Html = content.Length == 0 ? null : content,
            Language = s.Reblog is null ? s.Account.Language.Code : null,
            ReplyTo = s.InReplyToId is { } r ? MastodonJson.Id(r) : null,
            ForwardedFrom = s.Reblog?.Account.Username,
            ForwardedUrl = s.Reblog is { } o ? json.StatusUrl(o) : null,
            Hashtags = s.Text.Hashtags,
            // A reblog's mentions are the reblogged status's (docs/records.md).
            Mentions = s.Reblog is { } reblogged ? reblogged.Text.Mentions : s.Text.Mentions,
            Links = s.Text.Links,
            Media = s.Media.Select(m => new MediaRef
            {
                Kind = m.Type switch { "image" => "photo", _ => m.Type },
                Url = json.Origin + m.File.Path,
                Width = m.File.Width > 0 ? m.File.Width : null,
                Height = m.File.Height > 0 ? m.File.Height : null,
                Description = m.Description,
            }).Concat(s.Card is { } c
                // A card is the link preview the server built; archived as media like Telegram's previews (docs/records.md).
                ? [new MediaRef { Kind = "link_preview", Title = NullIfEmpty(c.Title), Description = NullIfEmpty(c.Description) }]
                : []).ToList(),
            Likes = s.FavouritesCount,
            Shares = s.ReblogsCount,
            Replies = s.RepliesCount,
            Extra = extra,
        };
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>The poll object exactly as the API serves it.</summary>
    public static string PollJson(ApiPoll poll)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            MastodonJson.PollObject(w, poll);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Author Author(ApiAccount a, MastodonJson json, string host, ReplicaView version) => new()
    {
        Platform = ReplicaEndpoints.PlatformOf(a.Flavor),
        Host = host,
        NativeId = a.Id.ToString(CultureInfo.InvariantCulture),
        Handle = a.Username,
        DisplayName = a.DisplayName,
        Description = a.Note,
        Url = json.AccountUrl(a),
        Kind = "account",
        Followers = a.Followers,
        Following = a.Following,
        PostsCount = a.Stream.Count(version),
        AvatarUrl = json.Origin + MastodonJson.AvatarPath(a),
        CreatedAt = a.CreatedAt,
    };
}
