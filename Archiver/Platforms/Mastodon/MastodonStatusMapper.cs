using System.Text.Json;
using Archiver.Model;
using Archiver.Platforms.Common;
using static Archiver.Platforms.Mastodon.JsonFields;

namespace Archiver.Platforms.Mastodon;

/// <summary>
/// A Mastodon-API status into posts, filled as docs/records.md says: a reblog gives the wrapper and the original
/// as two posts; a quoted status is stored as its own post too. Authors of all of them are collected.
/// </summary>
public sealed class MastodonStatusMapper(string platform, string host)
{
    private const int MaxNesting = 4;

    public List<Post> Posts { get; } = [];
    public Dictionary<string, Author> Authors { get; } = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Adds the status (and what it embeds); returns the main post, or null when the object is not a status.</summary>
    public Post? Add(JsonElement status, int nesting = 0)
    {
        if (status.ValueKind != JsonValueKind.Object || nesting > MaxNesting) return null;
        var id = Str(status, "id");
        if (id is null) return null;
        var account = Obj(status, "account");
        // A timeline repeats a few accounts many times: map each once.
        if (account is { } a && !(Str(a, "id") is { } accountId && Authors.ContainsKey(accountId)) &&
            MastodonAccountMapper.Map(a, platform, host) is { } author) Authors.TryAdd(author.NativeId, author);

        Post? original = null;
        if (Obj(status, "reblog", "reblogged_status") is { } reblog) original = Add(reblog, nesting + 1);
        var quoted = Quoted(status);
        Post? quote = quoted is { } q ? Add(q, nesting + 1) : null;

        var post = Map(status, id, account, original, quote);
        if (_seen.Add(id)) Posts.Add(post);
        return post;
    }

    private Post Map(JsonElement status, string id, JsonElement? account, Post? original, Post? quote)
    {
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        var html = Str(status, "content");
        var anchors = new List<LightHtml.Anchor>();
        var quoteLinks = new List<string>();
        var text = LightHtml.ToText(html, anchors, quoteLinks);
        // Delete and redraft answers carry the source in "text" and an empty content.
        if (text.Length == 0 && Str(status, "text") is { Length: > 0 } source) text = source.Trim();
        var spoiler = Str(status, "spoiler_text", "spoilerText");
        MastodonAccountMapper.Put(extra, "spoiler_text", spoiler);
        MastodonAccountMapper.Put(extra, "visibility", Str(status, "visibility"));
        MastodonAccountMapper.Put(extra, "sensitive", Str(status, "sensitive"));
        MastodonAccountMapper.Put(extra, "uri", Str(status, "uri"));
        MastodonAccountMapper.Put(extra, "in_reply_to_account_id", Str(status, "in_reply_to_account_id"));
        if (Long(status, "quotes_count") is { } quotes) extra["quotes_count"] = MastodonAccountMapper.Invariant(quotes);
        if (Obj(status, "poll") is { } poll) extra["poll"] = poll.GetRawText();
        if (Obj(status, "card") is { } card) MastodonAccountMapper.Put(extra, "card_url", Str(card, "url"));
        // The hidden "RE:/RT: URL" line is left out of the text (LightHtml); what it pointed at is kept as data.
        var quoteUrl = quoteLinks.FirstOrDefault() ?? quote?.Url;
        var quoteId = quote?.NativeId ?? Str(status, "quote_id", "quote_of_id") ?? TrailingId(quoteLinks.FirstOrDefault());
        MastodonAccountMapper.Put(extra, "quote_id", quoteId);
        if (quoteId is not null || quoteLinks.Count > 0) MastodonAccountMapper.Put(extra, "quote_url", quoteUrl);
        if (original is not null) extra["reblog_of"] = original.NativeId;

        var replyTo = Str(status, "in_reply_to_id", "inReplyToId");
        var kind = original is not null ? PostKinds.Reblog : replyTo is not null ? PostKinds.Reply : PostKinds.Post;
        return new Post
        {
            Platform = platform,
            Host = host,
            NativeId = id,
            Url = Str(status, "url") ?? Str(status, "uri"),
            AuthorId = account is { } a ? Str(a, "id") : null,
            AuthorHandle = account is { } b ? Str(b, "acct", "username") : null,
            AuthorName = account is { } c ? NonEmpty(Str(c, "display_name", "displayName")) : null,
            CreatedAt = Date(status, "created_at", "createdAt"),
            EditedAt = Date(status, "edited_at", "revised_at", "editedAt"),
            Kind = kind,
            Text = text,
            Html = string.IsNullOrEmpty(html) ? null : html,
            Language = NonEmpty(Str(status, "language")),
            LanguageSource = NonEmpty(Str(status, "language")) is null ? null : LanguageSources.Platform,
            ReplyTo = replyTo,
            ForwardedFrom = original?.AuthorHandle,
            ForwardedUrl = original?.Url,
            Hashtags = Hashtags(status, text),
            // A reblog wrapper has no text of its own: its mentions are the reblogged status's (Pleroma-style servers
            // list the reblogged author as the wrapper's "mention", Mastodon lists none; neither is what the reblog says).
            Mentions = original is not null ? original.Mentions : Mentions(status, text),
            Links = Links(anchors, status),
            Media = Media(status),
            Likes = Long(status, "favourites_count", "favorites_count", "favouritesCount"),
            Shares = Long(status, "reblogs_count", "reblogsCount"),
            Replies = Long(status, "replies_count", "repliesCount"),
            Extra = extra,
        };
    }

    /// <summary>Mastodon 4.5 nests the quoted status in quote.quoted_status; older forks put the status in quote or quote_of.</summary>
    private static JsonElement? Quoted(JsonElement status)
    {
        if (Obj(status, "quote", "quote_of", "quoted_status") is not { } quote) return null;
        if (Obj(quote, "quoted_status", "status") is { } inner) return inner;
        return Str(quote, "id") is not null && Get(quote, "content") is not null ? quote : null;
    }

    private static List<string> Hashtags(JsonElement status, string text)
    {
        var names = Arr(status, "tags").Select(t => t.ValueKind == JsonValueKind.String ? t.GetString() : Str(t, "name"));
        var list = TextEntities.Distinct(names);
        return list.Count > 0 ? list : TextEntities.Distinct(TextEntities.Hashtags(text));
    }

    private static List<string> Mentions(JsonElement status, string text)
    {
        var list = TextEntities.Distinct(Arr(status, "mentions").Select(m => Str(m, "acct", "username")));
        return list.Count > 0 ? list : TextEntities.Distinct(TextEntities.Mentions(text));
    }

    /// <summary>Links in the content, without Mastodon's own mention and hashtag links.</summary>
    private static List<string> Links(List<LightHtml.Anchor> anchors, JsonElement status)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in Arr(status, "tags")) if (Str(tag, "url") is { } u) own.Add(u);
        foreach (var mention in Arr(status, "mentions")) if (Str(mention, "url") is { } u) own.Add(u);
        var links = new List<string?>();
        foreach (var anchor in anchors)
        {
            if (anchor.Href is null || own.Contains(anchor.Href)) continue;
            var cls = anchor.Class ?? "";
            if (cls.Contains("mention", StringComparison.Ordinal) || cls.Contains("hashtag", StringComparison.Ordinal)) continue;
            if (anchor.Text.StartsWith('#') || (anchor.Text.StartsWith('@') && !anchor.Text.Contains('/'))) continue;
            if (Uri.TryCreate(anchor.Href, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") links.Add(url.AbsoluteUri);
        }
        return TextEntities.Distinct(links);
    }

    private static List<MediaRef> Media(JsonElement status)
    {
        var media = new List<MediaRef>();
        foreach (var attachment in Arr(status, "media_attachments", "mediaAttachments", "attachments"))
        {
            if (attachment.ValueKind != JsonValueKind.Object) continue;
            var original = Obj(attachment, "meta") is { } meta ? Obj(meta, "original") : null;
            media.Add(new MediaRef
            {
                Kind = Str(attachment, "type") switch
                {
                    "image" => "photo",
                    // Truth Social serves its own video player's files ("Truth TV") as type "tv".
                    "video" or "tv" => "video",
                    "gifv" => "gif",
                    "audio" => "audio",
                    _ => "document",
                },
                Url = Str(attachment, "url") ?? Str(attachment, "remote_url"),
                Width = original is { } w && Long(w, "width") is { } width and <= int.MaxValue and >= 0 ? (int)width : null,
                Height = original is { } h && Long(h, "height") is { } height and <= int.MaxValue and >= 0 ? (int)height : null,
                DurationSeconds = original is { } d ? Double(d, "duration") : null,
                Description = NonEmpty(Str(attachment, "description")),
            });
        }
        if (Obj(status, "card") is { } card && Str(card, "url") is not null)
        {
            media.Add(new MediaRef
            {
                Kind = "link_preview",
                Url = NonEmpty(Str(card, "image")),
                Width = Long(card, "width") is { } cw and > 0 and <= int.MaxValue ? (int)cw : null,
                Height = Long(card, "height") is { } ch and > 0 and <= int.MaxValue ? (int)ch : null,
                Title = NonEmpty(Str(card, "title")),
                Description = NonEmpty(Str(card, "description")),
            });
        }
        return media;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The status id at the end of a status URL (<c>https://host/@user/123</c>), else null.</summary>
    private static string? TrailingId(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var u)) return null;
        var last = u.AbsolutePath.TrimEnd('/').Split('/')[^1];
        return last.Length > 0 && last.All(char.IsAsciiDigit) ? last : null;
    }
}
